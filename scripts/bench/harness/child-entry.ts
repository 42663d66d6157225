// node child-entry.js <module url> <export name> <json args>: the other end of runInChild.
import { RESULT_PREFIX } from './child-process.js';

const [moduleUrl, exportName, json] = process.argv.slice(2);
const loaded = (await import(moduleUrl)) as Record<string, unknown>;
const run = loaded[exportName];
if (typeof run !== 'function') throw new TypeError(`${moduleUrl} has no function export ${exportName}`);
const result: unknown = await run(JSON.parse(json));
// maxRSS is in kilobytes.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
// A peer's pools or timers must not keep the child alive once its figure is out.
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ result, peakRssMb })}\n`, () => process.exit(0));
