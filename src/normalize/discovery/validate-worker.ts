/** A validation worker: holds the shared PLIs and records, checks the candidate lists it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import type { Prepared } from "./preprocess.js";
import { type Candidate, Validator } from "./validator.js";

const validator = new Validator(workerData as Prepared);

parentPort!.on("message", (message: { id: number; candidates: Candidate[]; endsAt: number }) => {
  parentPort!.postMessage({ id: message.id, outcome: validator.validate(message.candidates, message.endsAt) ?? null });
});
