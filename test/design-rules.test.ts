/** Every design rule's test (test/rules/), in one process: see runFolder. */
import { runFolder } from "./helpers/run-folder.js";

runFolder("test/rules", new URL("./rules/", import.meta.url));
