import fs from 'node:fs';
import hotline from '../flows/hotline.flow.json';
import type { IvrFlow } from './flow.schema';
import { validateFlow } from './validate-flow';

/** Where the bundled default flow lives, relative to the repository root. */
export const DEFAULT_FLOW_SOURCE = 'ivr/flows/hotline.flow.json';

/**
 * The flow to run: a JSON file when given (validated; a bad file throws naming the bad node), else the
 * bundled default hotline flow.
 * @example const flow = loadFlow(process.env.IVR_FLOW_FILE);
 */
export function loadFlow(file?: string): IvrFlow {
  if (!file) return validateFlow(hotline);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read IVR flow ${file}: ${(err as Error).message}`);
  }
  return validateFlow(json);
}
