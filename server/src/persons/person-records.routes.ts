import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { PersonContactsService } from './person-contacts.service';
import type { PersonDevicesService } from './person-devices.service';
import {
  changesQuerySchema, contactOrderSchema, contactParams, contactPatchSchema, contactSchema, deviceParams, devicePatchSchema,
  deviceSchema, editPersonSchema, phoneParams, phoneSchema, versionFromIfMatch,
} from './person-edit.schema';
import type { PersonEditService } from './person-edit.service';
import type { PersonPhonesService } from './person-phones.service';
import { uuidParam } from './person.schema';

export interface PersonRecordServices {
  editor: PersonEditService;
  contacts: PersonContactsService;
  phones: PersonPhonesService;
  devices: PersonDevicesService;
}

/**
 * Keeping a person's record right (`/api/persons/:id…`): `PATCH /:id` (profile, with the version read or
 * `If-Match`; 409 `person/version-conflict` when someone else edited first), `GET /:id/changes`, contacts
 * (`POST /:id/contacts`, `PATCH|DELETE /:id/contacts/:contactId`, `PUT /:id/contacts/order`), phones
 * (`POST /:id/phones`, `DELETE /:id/phones/:phoneId`, `POST /:id/phones/:phoneId/primary`) and devices
 * (`POST /:id/devices`, `PATCH /:id/devices/:deviceId`, `POST /:id/devices/:deviceId/retire`). Each change
 * answers with the person's record (masked, with the new `version`).
 */
export function personRecordRoutes({ editor, contacts, phones, devices }: PersonRecordServices): Router {
  const r = Router();
  const edit = requireRole(...PERMISSIONS['person.edit']);

  r.patch('/:id', edit, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    const input = editPersonSchema.parse(req.body ?? {});
    const person = await editor.edit(actorOf(req), id, input, versionFromIfMatch(req.header('if-match')));
    res.set('etag', `"${person.version}"`).json(person);
  });
  r.get('/:id/changes', requireRole(...PERMISSIONS['person.read']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await editor.changes(actorOf(req), id, changesQuerySchema.parse(req.query).limit));
  });

  r.post('/:id/contacts', edit, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.status(201).json(await contacts.add(actorOf(req), id, contactSchema.parse(req.body ?? {})));
  });
  r.put('/:id/contacts/order', edit, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await contacts.reorder(actorOf(req), id, contactOrderSchema.parse(req.body ?? {}).ids));
  });
  r.patch('/:id/contacts/:contactId', edit, async (req, res) => {
    const { id, contactId } = contactParams.parse(req.params);
    res.json(await contacts.update(actorOf(req), id, contactId, contactPatchSchema.parse(req.body ?? {})));
  });
  r.delete('/:id/contacts/:contactId', edit, async (req, res) => {
    const { id, contactId } = contactParams.parse(req.params);
    res.json(await contacts.remove(actorOf(req), id, contactId));
  });

  r.post('/:id/phones', edit, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.status(201).json(await phones.add(actorOf(req), id, phoneSchema.parse(req.body ?? {})));
  });
  r.delete('/:id/phones/:phoneId', edit, async (req, res) => {
    const { id, phoneId } = phoneParams.parse(req.params);
    res.json(await phones.remove(actorOf(req), id, phoneId));
  });
  r.post('/:id/phones/:phoneId/primary', edit, async (req, res) => {
    const { id, phoneId } = phoneParams.parse(req.params);
    res.json(await phones.makePrimary(actorOf(req), id, phoneId));
  });

  r.post('/:id/devices', edit, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.status(201).json(await devices.register(actorOf(req), id, deviceSchema.parse(req.body ?? {})));
  });
  r.patch('/:id/devices/:deviceId', edit, async (req, res) => {
    const { id, deviceId } = deviceParams.parse(req.params);
    res.json(await devices.update(actorOf(req), id, deviceId, devicePatchSchema.parse(req.body ?? {})));
  });
  r.post('/:id/devices/:deviceId/retire', edit, async (req, res) => {
    const { id, deviceId } = deviceParams.parse(req.params);
    res.json(await devices.retire(actorOf(req), id, deviceId));
  });
  return r;
}
