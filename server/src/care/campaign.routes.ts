import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import type { CampaignService } from './campaign.service';
import { createCampaignSchema, emptySchema, heatWarningSchema, listCampaignsSchema, previewSchema, updateCampaignSchema } from './campaign.schema';
import type { CareEventsService } from './care-events.service';

/**
 * `/api/care/campaigns`, `/api/care/heat-warnings` (supervisors, `care.plan`) and a task's questionnaire
 * (`/api/care/task-questionnaires/:id`, `care.work`). Scoped to the actor's districts; out-of-scope ids and
 * districts answer 404 like missing ones.
 */
export function campaignRoutes(campaigns: CampaignService, careEvents: CareEventsService): Router {
  const r = Router();
  const plan = requireRole(...PERMISSIONS['care.plan']);
  const work = requireRole(...PERMISSIONS['care.work']);
  r.get('/campaigns', plan, async (req, res) => {
    res.json(await campaigns.list(actorOf(req), listCampaignsSchema.parse(req.query)));
  });
  r.post('/campaigns', plan, async (req, res) => {
    res.status(201).json(await campaigns.create(actorOf(req), createCampaignSchema.parse(req.body ?? {})));
  });
  r.post('/campaigns/preview', plan, async (req, res) => {
    res.json(await campaigns.preview(actorOf(req), previewSchema.parse(req.body ?? {})));
  });
  r.get('/campaigns/:id', plan, async (req, res) => {
    res.json(await campaigns.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.patch('/campaigns/:id', plan, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await campaigns.update(actorOf(req), id, updateCampaignSchema.parse(req.body ?? {})));
  });
  for (const action of ['launch', 'pause', 'resume'] as const) {
    r.post(`/campaigns/:id/${action}`, plan, async (req, res) => {
      const { id } = uuidParam.parse(req.params);
      emptySchema.parse(req.body ?? {});
      res.json(await campaigns[action](actorOf(req), id));
    });
  }
  r.get('/heat-warnings', plan, async (req, res) => {
    emptySchema.parse(req.query);
    res.json({ items: await careEvents.listHeatWarnings(actorOf(req)) });
  });
  r.post('/heat-warnings', plan, async (req, res) => {
    res.status(201).json(await careEvents.raiseHeatWarning(actorOf(req), heatWarningSchema.parse(req.body ?? {})));
  });
  r.get('/task-questionnaires/:id', work, async (req, res) => {
    res.json({ questionnaire: await campaigns.questionnaireOf(actorOf(req), uuidParam.parse(req.params).id) });
  });
  return r;
}
