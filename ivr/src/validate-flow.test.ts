import hotline from '../flows/hotline.flow.json';
import { IvrFlowError, validateFlow } from './validate-flow';

type Json = Record<string, any>;
const base = (): Json => structuredClone(hotline) as Json;

function issuesOf(flow: unknown): { node: string | null; message: string }[] {
  try {
    validateFlow(flow);
  } catch (err) {
    if (err instanceof IvrFlowError) return err.issues;
    throw err;
  }
  return [];
}

describe('validateFlow', () => {
  it('when the bundled hotline flow is loaded, then it is valid', () => {
    const flow = validateFlow(hotline);
    expect(flow.start).toBe('welcome');
    expect(Object.keys(flow.nodes)).toEqual(expect.arrayContaining(['welcome', 'welcome_slow', 'life_service', 'orders', 'emergency', 'inquiry', 'agent']));
  });

  it.each<[string, (f: Json) => void, string | null, RegExp]>([
    ['an option points nowhere', (f) => (f.nodes.welcome.options['5'] = 'nowhere'), 'welcome', /option "5" goes to "nowhere", which is not a node/],
    ['noInput points nowhere', (f) => (f.nodes.welcome_slow.noInput = 'ghost'), 'welcome_slow', /noInput goes to "ghost"/],
    ['a key is #', (f) => (f.nodes.welcome.options['#'] = 'agent'), 'welcome', /option "#" is not a single key/],
    ['a key is two digits', (f) => (f.nodes.welcome.options['12'] = 'agent'), 'welcome', /option "12" is not a single key/],
    ['an option loops to its own menu', (f) => (f.nodes.welcome.options['8'] = 'welcome'), 'welcome', /goes back to the same menu/],
    ['silent callers loop between menus', (f) => (f.nodes.welcome_slow.noInput = 'welcome'), 'welcome', /presses nothing loops forever \(welcome → welcome_slow → welcome\)/],
    ['a node cannot be reached', (f) => (f.nodes.orphan = { type: 'queue', choice: '7', queue: 'hotline', priority: 0 }), 'orphan', /not reachable from start "welcome"/],
    ['a node id has capitals', (f) => { f.nodes.Agent2 = f.nodes.agent; f.nodes.welcome.options['7'] = 'Agent2'; }, 'Agent2', /node ids are a-z/],
    ['a queue priority is 10 (SOS only)', (f) => (f.nodes.emergency.priority = 10), 'emergency', /priority: Too big|priority: .*10/i],
    ['a sound name has a comma (dialplan injection)', (f) => (f.nodes.agent.prompt.sound = 'anxin/a,b'), 'agent', /prompt.sound: sound must be a file name/],
    ['a queue name has a space', (f) => (f.nodes.orders.queue = 'hot line'), 'orders', /queue: queue must be letters/],
    ['a choice is too long', (f) => (f.nodes.inquiry.choice = 'inquiry-long'), 'inquiry', /choice: choice must be 1–8/],
    ['a menu has no options', (f) => (f.nodes.welcome_slow.options = {}), 'welcome_slow', /at least one option/],
    ['a menu field is unknown', (f) => (f.nodes.welcome.colour = 'red'), 'welcome', /colour|Unrecognized key/i],
    ['the prompt text is empty', (f) => (f.nodes.welcome.prompt.text = '  '), 'welcome', /prompt.text: prompt text is empty/],
    ['the node type is unknown', (f) => (f.nodes.agent.type = 'voicemail'), 'agent', /type/],
    ['start is missing', (f) => (f.start = 'nope'), null, /start "nope" is not a node/],
    ['knownCaller is a menu', (f) => (f.knownCaller = 'welcome_slow'), null, /knownCaller "welcome_slow" must be a queue node/],
    ['a DID has letters', (f) => (f.dids = ['400ABC']), null, /dids.0: a DID is 3–20 digits/],
  ])('when %s, then the error names the node', (_what, mutate, node, message) => {
    const flow = base();
    mutate(flow);
    const issues = issuesOf(flow);
    expect(issues).toContainEqual({ node, message: expect.stringMatching(message) });
  });

  it('when several nodes are broken, then every one is reported in one error', () => {
    const flow = base();
    flow.nodes.welcome.options['5'] = 'x';
    flow.nodes.welcome_slow.options['5'] = 'y';
    let error: IvrFlowError | undefined;
    try {
      validateFlow(flow);
    } catch (err) {
      error = err as IvrFlowError;
    }
    expect(error).toBeInstanceOf(IvrFlowError);
    expect(error!.message).toContain('invalid IVR flow "hotline"');
    expect(error!.message).toContain('node "welcome": option "5" goes to "x"');
    expect(error!.message).toContain('node "welcome_slow": option "5" goes to "y"');
  });
});
