/** Every migration rule's test (test/migrations/rules/), in one process: see runFolder. */
import { runFolder } from "./helpers/run-folder.js";

runFolder("test/migrations/rules", new URL("./migrations/rules/", import.meta.url));
