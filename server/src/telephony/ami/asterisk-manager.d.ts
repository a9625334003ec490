/**
 * Types for `asterisk-manager` 0.2.0 (untyped, no dependencies), written from `lib/ami.js`.
 *
 * - `new Manager(port, host, username, password, events)`: with a truthy port it connects and logs in at once,
 *   but the login result is lost (its callback is bound to the username); with no port nothing happens until
 *   `connect(port, host, cb)` then `login(cb)`.
 * - Frames arrive as objects with trimmed, lower-cased keys and string values; a repeated key becomes an
 *   array, `Variable:`/`ChanVariable:` lines become a `{ NAME: value }` object.
 * - `action(obj, cb)` writes the object as `Key: value` lines (keys with the first letter upper-cased, the rest
 *   lower-cased, lines sorted), using `obj.actionid` as ActionID or else `Date.now()` (a digit is appended while
 *   a listener already holds that id). The callback gets `(err, response)` once, on the first frame with that
 *   ActionID that has a `Response:`: `err` is the response itself when it is `Response: Error`. Later frames
 *   with the same ActionID (list items, `…Complete`, OriginateResponse) only come as `managerevent`.
 * - Actions sent before login succeeds are held and written after it.
 * - `keepConnected()` reconnects on `close` after 10 s, +10 s per attempt up to 60 s, logging with console.log.
 */
declare module 'asterisk-manager' {
  namespace AsteriskManager {
    type AmiValue = string | string[] | Record<string, string>;

    /** A frame from Asterisk: lower-cased keys. Events have `event`, responses have `response`. */
    interface AmiFrame {
      [key: string]: AmiValue | undefined;
    }

    /** An action to send; `action` names it, `actionid` is optional, objects become `Key: name=value` lines. */
    interface ManagerAction {
      action: string;
      actionid?: string;
      [key: string]: string | number | boolean | string[] | Record<string, string> | undefined;
    }

    type ActionCallback = (err: AmiFrame | undefined, response: AmiFrame) => void;

    interface Manager {
      readonly options: { port?: number; host: string; username: string; password: string; events: boolean };
      connect(port: number, host: string, callback?: (err: null) => void): void;
      login(callback?: (err?: AmiFrame) => void): void;
      keepConnected(): void;
      /** Sends the action; returns the ActionID used. */
      action(action: ManagerAction, callback?: ActionCallback): string;
      disconnect(callback?: () => void): void;
      isConnected(): boolean;
      on(event: 'managerevent' | 'response' | 'asterisk' | 'rawevent', listener: (frame: AmiFrame) => void): this;
      on(event: 'connect' | 'end', listener: () => void): this;
      on(event: 'close', listener: (hadError: boolean) => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: string, listener: (...args: unknown[]) => void): this;
      once(event: string, listener: (...args: unknown[]) => void): this;
      removeListener(event: string, listener: (...args: never[]) => void): this;
      removeAllListeners(event?: string): this;
      listeners(event: string): Array<(...args: unknown[]) => void>;
    }
  }

  interface ManagerConstructor {
    new (port?: number, host?: string, username?: string, password?: string, events?: boolean): AsteriskManager.Manager;
  }

  const AsteriskManager: ManagerConstructor;
  export = AsteriskManager;
}
