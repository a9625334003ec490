/**
 * `npm run ivr:render` — write the Asterisk include for a flow.
 *
 *   ivr:render [--flow ivr/flows/hotline.flow.json] [--out docker/asterisk/extensions_anxin.conf] [--check]
 *
 * `--check` writes nothing and exits 1 when the file on disk differs from a fresh render (CI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_FLOW_SOURCE, loadFlow } from './load-flow';
import { renderDialplan } from './render-dialplan';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const flowFile = arg('flow');
  const out = arg('out') ?? 'docker/asterisk/extensions_anxin.conf';
  const flow = loadFlow(flowFile);
  const text = renderDialplan(flow, { source: flowFile ?? DEFAULT_FLOW_SOURCE, sosCallbackExtension: process.env.SOS_CALLBACK_EXTENSION });
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
    if (current !== text) {
      console.error(`${out} is out of date: run npm run ivr:render`);
      process.exit(1);
    }
    console.log(`${out} is up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(`wrote ${out} (flow "${flow.id}", ${Object.keys(flow.nodes).length} nodes)`);
}

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
