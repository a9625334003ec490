import { Router } from 'express';
import type { CandidateKind } from '../../../dispatch/src';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import type { PeopleService } from './people.service';
import { fieldWorkerPatchSchema, fieldWorkerSchema, listPeopleSchema, listProvidersSchema, providerPatchSchema, providerSchema, volunteerPatchSchema, volunteerSchema } from './people.schema';

/** `/api/dispatch/providers`, `/field-workers`, `/volunteers` (see docs/dispatch-api.md). */
export function dispatchPeopleRoutes(people: PeopleService): Router {
  const r = Router();
  const read = requireRole(...PERMISSIONS['dispatch.people.read']);
  const manage = requireRole(...PERMISSIONS['dispatch.people.manage']);
  r.get('/providers', read, async (req, res) => {
    res.json(await people.listProviders(actorOf(req), listProvidersSchema.parse(req.query)));
  });
  r.post('/providers', manage, async (req, res) => {
    res.status(201).json(await people.createProvider(actorOf(req), providerSchema.parse(req.body ?? {})));
  });
  r.get('/providers/:id', read, async (req, res) => {
    res.json(await people.getProvider(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.patch('/providers/:id', manage, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await people.editProvider(actorOf(req), id, providerPatchSchema.parse(req.body ?? {})));
  });
  const kinds: Array<[string, CandidateKind]> = [
    ['field-workers', 'provider'],
    ['volunteers', 'volunteer'],
  ];
  for (const [path, kind] of kinds) {
    const create = kind === 'provider' ? fieldWorkerSchema : volunteerSchema;
    const patch = kind === 'provider' ? fieldWorkerPatchSchema : volunteerPatchSchema;
    r.get(`/${path}`, read, async (req, res) => {
      res.json(await people.list(actorOf(req), kind, listPeopleSchema.parse(req.query)));
    });
    r.post(`/${path}`, manage, async (req, res) => {
      res.status(201).json(await people.create(actorOf(req), kind, create.parse(req.body ?? {})));
    });
    r.get(`/${path}/:id`, read, async (req, res) => {
      res.json(await people.get(actorOf(req), kind, uuidParam.parse(req.params).id));
    });
    r.patch(`/${path}/:id`, manage, async (req, res) => {
      const { id } = uuidParam.parse(req.params);
      res.json(await people.edit(actorOf(req), kind, id, patch.parse(req.body ?? {})));
    });
    r.post(`/${path}/:id/pin`, manage, async (req, res) => {
      res.json(await people.resetPin(actorOf(req), kind, uuidParam.parse(req.params).id));
    });
  }
  return r;
}
