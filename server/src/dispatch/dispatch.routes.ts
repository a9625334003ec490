import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import type { JobService } from './job.service';
import { assignSchema, cancelJobSchema, candidatesQuerySchema, createJobSchema, listJobsSchema, offerSchema, voiceAnswerSchema, voiceOfferSchema, withdrawSchema } from './job.schema';

/** `/api/dispatch/jobs`: the dispatcher board (see docs/dispatch-api.md). */
export function dispatchJobRoutes(jobs: JobService): Router {
  const r = Router();
  const read = requireRole(...PERMISSIONS['dispatch.read']);
  const work = requireRole(...PERMISSIONS['dispatch.work']);
  r.get('/', read, async (req, res) => {
    res.json(await jobs.list(actorOf(req), listJobsSchema.parse(req.query)));
  });
  r.post('/', work, async (req, res) => {
    const job = await jobs.create(actorOf(req), createJobSchema.parse(req.body ?? {}));
    res.status(201).location(`/api/dispatch/jobs/${job.id}`).json(job);
  });
  r.get('/:id', read, async (req, res) => {
    res.json(await jobs.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.get('/:id/candidates', read, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await jobs.candidates(actorOf(req), id, candidatesQuerySchema.parse(req.query).limit));
  });
  r.post('/:id/offers', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await jobs.offer(actorOf(req), id, offerSchema.parse(req.body ?? {})));
  });
  r.post('/:id/assign', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await jobs.assign(actorOf(req), id, assignSchema.parse(req.body ?? {}).candidateId));
  });
  r.post('/:id/withdraw', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await jobs.withdraw(actorOf(req), id, withdrawSchema.parse(req.body ?? {}).offerId));
  });
  r.post('/:id/voice-offers', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.status(202).json(await jobs.voiceOffer(actorOf(req), id, voiceOfferSchema.parse(req.body ?? {}).candidateId));
  });
  r.post('/:id/voice-answers', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    const input = voiceAnswerSchema.parse(req.body ?? {});
    res.json(await jobs.recordVoiceAnswer(actorOf(req), id, input.offerId, input.answer, input.note));
  });
  r.post('/:id/cancel', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await jobs.cancel(actorOf(req), id, cancelJobSchema.parse(req.body ?? {}).reason));
  });
  return r;
}
