import { quickAnswer } from "./quick-answer.js";

// --version and --help alone are answered here; everything else is run-process.ts's.
const answer = quickAnswer(process.argv.slice(2), process.stdout);
if (answer === undefined) await import("./run-process.js");
else process.stdout.write(answer);
