/**
 * Type-level contract between the server and the console (compiled by `npm run typecheck`, never run):
 * every payload the server sends, turned into JSON (Dates become strings), must fit the console's wire
 * types, and every command the console sends must fit what the server accepts. A server change that would
 * break the console fails the type check here.
 */
import type { PresenceView as ServerPresence } from '../../server/src/agents/agent-presence.service';
import type { Actor } from '../../server/src/auth/auth.service';
import type { PersonDetail as ServerPersonDetail, PersonSummary as ServerPersonSummary, RevealedIdentifiers as ServerRevealed } from '../../server/src/persons/person.service';
import type { RevealPurpose } from '../../server/src/persons/person.schema';
import type { ClickToCallInput } from '../../server/src/calls/click-to-call.schema';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/src/realtime/realtime-events';
import type { SoftphoneSettings as ServerSoftphone } from '../../server/src/softphone/softphone-settings';
import type { TicketDetail as ServerTicketDetail } from '../../server/src/tickets/ticket.service';
import type { DialAccepted as ServerDial } from '../../server/src/calls/click-to-call.service';
import type { RegisterImportView as ServerRegisterImport } from '../../server/src/register/register.routes';
import type * as Wire from '../src/api/wire';

type Jsonify<T> = T extends Date ? string : T extends (infer U)[] ? Jsonify<U>[] : T extends object ? { [K in keyof T]: Jsonify<T[K]> } : T;
type Payload<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
type AckData<F> = F extends (...args: infer A) => void ? (A extends [...unknown[], (res: infer R) => void] ? R : never) : never;

/** Compiles only when `Actual` is assignable to `Expected`. */
function fits<Expected>(_value: Expected): void {}
const json = <T>(): Jsonify<T> => null as unknown as Jsonify<T>;

// Every server notice is known to the console, with a payload it can read.
type Unknown = Exclude<keyof ServerToClientEvents, keyof Wire.ServerEvents>;
fits<[Unknown] extends [never] ? true : Unknown>(true);
fits<Payload<Wire.ServerEvents['call:ringing']>>(json<Payload<ServerToClientEvents['call:ringing']>>());
fits<Payload<Wire.ServerEvents['call:updated']>>(json<Payload<ServerToClientEvents['call:updated']>>());
fits<Payload<Wire.ServerEvents['call:answered']>>(json<Payload<ServerToClientEvents['call:answered']>>());
fits<Payload<Wire.ServerEvents['call:ended']>>(json<Payload<ServerToClientEvents['call:ended']>>());
fits<Payload<Wire.ServerEvents['ticket:created']>>(json<Payload<ServerToClientEvents['ticket:created']>>());
fits<Payload<Wire.ServerEvents['ticket:updated']>>(json<Payload<ServerToClientEvents['ticket:updated']>>());
fits<Payload<Wire.ServerEvents['agent:state-changed']>>(json<Payload<ServerToClientEvents['agent:state-changed']>>());
fits<Payload<Wire.ServerEvents['telephony:state-changed']>>(json<Payload<ServerToClientEvents['telephony:state-changed']>>());
fits<Payload<Wire.ServerEvents['agent:presence-changed']>>(json<Payload<ServerToClientEvents['agent:presence-changed']>>());
fits<Payload<Wire.ServerEvents['sos:raised']>>(json<Payload<ServerToClientEvents['sos:raised']>>());
fits<Payload<Wire.ServerEvents['sos:escalated']>>(json<Payload<ServerToClientEvents['sos:escalated']>>());
fits<Payload<Wire.ServerEvents['sos:acknowledged']>>(json<Payload<ServerToClientEvents['sos:acknowledged']>>());
fits<Payload<Wire.ServerEvents['sos:closed']>>(json<Payload<ServerToClientEvents['sos:closed']>>());
fits<Payload<Wire.ServerEvents['security:alert']>>(json<Payload<ServerToClientEvents['security:alert']>>());
fits<Payload<Wire.ServerEvents['care:tasks-changed']>>(json<Payload<ServerToClientEvents['care:tasks-changed']>>());

// Commands: what the console sends fits the server; the server's ack fits the console.
fits<Payload<ClientToServerEvents['presence:set']>>(null as unknown as Payload<Wire.ClientCommands['presence:set']>);
fits<AckData<Wire.ClientCommands['presence:set']>>(json<AckData<ClientToServerEvents['presence:set']>>());
fits<AckData<Wire.ClientCommands['presence:get']>>(json<AckData<ClientToServerEvents['presence:get']>>());
fits<Payload<ClientToServerEvents['sos:acknowledge']>>(null as unknown as Payload<Wire.ClientCommands['sos:acknowledge']>);
fits<AckData<Wire.ClientCommands['sos:acknowledge']>>(json<AckData<ClientToServerEvents['sos:acknowledge']>>());

// HTTP bodies the console reads.
fits<Wire.User>(json<Actor>());
fits<Wire.PersonDetail>(json<ServerPersonDetail>());
fits<Wire.PersonSummary>(json<ServerPersonSummary>());
fits<Wire.RevealedIdentifiers>(json<ServerRevealed>());

// HTTP bodies the console sends.
fits<ClickToCallInput>(null as unknown as Wire.DialTarget);
fits<Wire.RevealPurpose>(null as unknown as RevealPurpose);
fits<RevealPurpose>(null as unknown as Wire.RevealPurpose);
fits<Wire.TicketDetail>(json<ServerTicketDetail>());
fits<Wire.PresenceView>(json<ServerPresence>());
fits<Wire.SoftphoneSettings>(json<ServerSoftphone>());
fits<Wire.DialAccepted>(json<ServerDial>());
fits<Wire.RegisterImportView>(json<ServerRegisterImport>());
