import { Router } from 'express';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { TimebankDonations } from './donations.service';
import { allocationSchema, donationReportSchema, donorSchema, giftSchema, idParam, listDonorsSchema, listGiftsSchema, returnSchema } from './timebank.schema';

const allocationParams = z.object({ giftId: z.string().uuid(), allocationId: z.string().uuid() }).strict();

/** `/api/timebank` donations (捐赠管理, `donation.manage`): donors, gifts, allocations, returns, destination report. */
export function timebankDonationRoutes(donations: TimebankDonations): Router {
  const r = Router();
  const manage = requireRole(...PERMISSIONS['donation.manage']);
  const giftParam = idParam('giftId');
  r.post('/donors', manage, async (req, res) => {
    res.status(201).json(await donations.createDonor(actorOf(req), donorSchema.parse(req.body ?? {})));
  });
  r.get('/donors', manage, async (req, res) => {
    res.json(await donations.listDonors(actorOf(req), listDonorsSchema.parse(req.query)));
  });
  r.post('/gifts', manage, async (req, res) => {
    res.status(201).json(await donations.createGift(actorOf(req), giftSchema.parse(req.body ?? {})));
  });
  r.get('/gifts', manage, async (req, res) => {
    res.json(await donations.listGifts(actorOf(req), listGiftsSchema.parse(req.query)));
  });
  r.get('/gifts/:giftId', manage, async (req, res) => {
    res.json(await donations.getGift(actorOf(req), giftParam.parse(req.params).giftId as string));
  });
  r.post('/gifts/:giftId/allocations', manage, async (req, res) => {
    res.status(201).json(await donations.allocate(actorOf(req), giftParam.parse(req.params).giftId as string, allocationSchema.parse(req.body ?? {})));
  });
  r.post('/gifts/:giftId/allocations/:allocationId/return', manage, async (req, res) => {
    const p = allocationParams.parse(req.params);
    res.status(201).json(await donations.giveBack(actorOf(req), p.giftId, p.allocationId, returnSchema.parse(req.body ?? {})));
  });
  r.get('/reports/donations', manage, async (req, res) => {
    res.json(await donations.report(actorOf(req), donationReportSchema.parse(req.query)));
  });
  return r;
}
