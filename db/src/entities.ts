import { AgentPresence } from '../../server/src/agents/agent-presence.entity';
import { AuditLog } from '../../server/src/audit/audit-log.entity';
import { StaffSession } from '../../server/src/auth/session.entity';
import { StaffRecoveryCode } from '../../server/src/auth/recovery-code.entity';
import { Call } from '../../server/src/calls/call.entity';
import { District } from '../../server/src/districts/district.entity';
import { Contact } from '../../server/src/persons/contact.entity';
import { Device } from '../../server/src/persons/device.entity';
import { PersonDuplicateFlag } from '../../server/src/persons/person-duplicate-flag.entity';
import { Person } from '../../server/src/persons/person.entity';
import { PhoneNumber } from '../../server/src/persons/phone.entity';
import { PersonChange } from '../../server/src/persons/person-change.entity';
import { StaffUser } from '../../server/src/staff/staff-user.entity';
import { Ticket, TicketCall, TicketEvent, TicketNumberCounter } from '../../server/src/tickets/ticket.entity';
import { OutboxMessage } from '../../server/src/outbox/outbox.entity';
import { SmsInbound } from '../../server/src/sms/sms-inbound.entity';
import { DeviceAlarm, DeviceAlarmKey, DeviceMaintenance } from '../../server/src/sos/device-alarm.entity';
import { SosIncident } from '../../server/src/sos/sos-incident.entity';
import { RegisterImport } from '../../server/src/register/register-import.entity';
import { PersonConsent } from '../../server/src/persons/person-consent.entity';
import { PersonStatusEvent } from '../../server/src/persons/person-status-event.entity';
import { CareEvent, CarePlan, CareTask } from '../../server/src/care/care.entity';
import { FieldWorker, PersonDispatchPref, Provider, Volunteer } from '../../server/src/dispatch/dispatch-people.entity';
import { DispatchTimer, JobOffer, ServiceJob } from '../../server/src/dispatch/service-job.entity';

/** Entity registry: entities live with the module that owns them; the data source lists them here. */
export const ENTITIES = [
  District,
  StaffUser,
  StaffSession,
  StaffRecoveryCode,
  Person,
  PersonDuplicateFlag,
  PhoneNumber,
  PersonChange,
  Contact,
  Device,
  Call,
  Ticket,
  TicketCall,
  TicketEvent,
  TicketNumberCounter,
  AuditLog,
  AgentPresence,
  SosIncident,
  DeviceAlarmKey,
  DeviceAlarm,
  DeviceMaintenance,
  OutboxMessage,
  SmsInbound,
  RegisterImport,
  PersonStatusEvent,
  PersonConsent,
  CarePlan,
  CareTask,
  CareEvent,
  Provider,
  FieldWorker,
  Volunteer,
  PersonDispatchPref,
  ServiceJob,
  JobOffer,
  DispatchTimer,
];
