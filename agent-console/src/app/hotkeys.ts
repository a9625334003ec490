/**
 * Keyboard shortcuts. Every shortcut is Alt + a letter or digit, matched on the physical key (`event.code`) so
 * it works with any keyboard layout and with a Chinese IME active. Alt+E / Alt+F are left to the browser.
 * Screens register what a command does while they are shown; the latest registration wins.
 */
export const HOTKEYS = [
  { command: 'answer', code: 'KeyA', keys: 'Alt+A', label: 'hotkeys.answer' },
  { command: 'hangup', code: 'KeyH', keys: 'Alt+H', label: 'hotkeys.hangup' },
  { command: 'newOrder', code: 'KeyN', keys: 'Alt+N', label: 'hotkeys.newOrder' },
  { command: 'save', code: 'KeyS', keys: 'Alt+S', label: 'hotkeys.save' },
  { command: 'ackSos', code: 'KeyK', keys: 'Alt+K', label: 'hotkeys.ackSos' },
  { command: 'search', code: 'KeyQ', keys: 'Alt+Q', label: 'hotkeys.search' },
  { command: 'presence', code: 'KeyP', keys: 'Alt+P', label: 'hotkeys.presence' },
  { command: 'help', code: 'Slash', keys: 'Alt+/', label: 'hotkeys.help' },
] as const;

export type Command = (typeof HOTKEYS)[number]['command'] | `nav${1 | 2 | 3 | 4 | 5}`;

type Handler = () => void;
const handlers = new Map<Command, Handler[]>();
const fallbacks = new Map<Command, Handler>();

/**
 * Say what a command does while a screen is shown; returns the unregister function (use in an effect).
 * A `fallback` handler (the app shell's) runs only when no screen handles the command.
 * @example useEffect(() => registerCommand('save', submit), [submit]);
 */
export function registerCommand(command: Command, handler: Handler, opts: { fallback?: boolean } = {}): () => void {
  if (opts.fallback) {
    fallbacks.set(command, handler);
    return () => {
      if (fallbacks.get(command) === handler) fallbacks.delete(command);
    };
  }
  const list = handlers.get(command) ?? [];
  list.push(handler);
  handlers.set(command, list);
  return () => {
    const now = handlers.get(command) ?? [];
    handlers.set(command, now.filter((h) => h !== handler));
  };
}

/** Whether a screen (not just the shell's fallback) handles the command right now. */
export function isHandled(command: Command): boolean {
  return (handlers.get(command)?.length ?? 0) > 0;
}

/** Run a command as if its key was pressed. Returns false when nothing handles it right now. */
export function runCommand(command: Command): boolean {
  const list = handlers.get(command);
  const handler = list?.[list.length - 1] ?? fallbacks.get(command);
  if (!handler) return false;
  handler();
  return true;
}

/** Run a command once the screen that handles it has mounted (after a navigation). */
export function runWhenHandled(command: Command, tries = 20): void {
  if (isHandled(command)) return void runCommand(command);
  if (tries > 0) window.setTimeout(() => runWhenHandled(command, tries - 1), 25);
}

/** The command a key event asks for, if any. Ctrl+Enter inside a form means save. */
export function commandFor(e: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code' | 'key'>): Command | null {
  if (e.ctrlKey && !e.altKey && e.key === 'Enter') return 'save';
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  const digit = /^Digit([1-5])$/.exec(e.code);
  if (digit) return `nav${Number(digit[1]) as 1 | 2 | 3 | 4 | 5}`;
  return HOTKEYS.find((h) => h.code === e.code)?.command ?? null;
}

/** Install the one global key listener. */
export function installHotkeys(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    const command = commandFor(e);
    if (command && runCommand(command)) e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
