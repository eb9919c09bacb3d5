/** Runs the CLI from the TypeScript sources, without building: `node --import tsx scripts/dev.ts check <input>`. */
import { main } from "../src/cli.js";

await main(process.argv);
