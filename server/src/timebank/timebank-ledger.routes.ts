import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { TimebankApprovals } from './approvals.service';
import type { TimebankEarning } from './earning.service';
import type { TimebankShop } from './shop.service';
import type { TimebankStatements } from './statements.service';
import type { TimebankExpiry } from './expiry.service';
import type { TimebankTransfers } from './transfers.service';
import {
  approvalSchema,
  confirmJobSchema,
  donateCoinsSchema,
  emptyBody,
  idParam,
  liabilitySchema,
  listApprovalsSchema,
  listRedemptionsSchema,
  reasonBody,
  redeemSchema,
  shopItemPatchSchema,
  shopItemSchema,
  shopListSchema,
  statementQuery,
  transferSchema,
  volunteerParam,
} from './timebank.schema';
import type { LedgerSettings } from '../../../dispatch/src/ledger';
import { UNITS_PER_COIN } from '../../../dispatch/src/ledger';

export interface LedgerRouteDeps {
  settings: LedgerSettings;
  statements: TimebankStatements;
  earning: TimebankEarning;
  approvals: TimebankApprovals;
  shop: TimebankShop;
  transfers: TimebankTransfers;
  expiry: TimebankExpiry;
}

/**
 * `/api/timebank`: settings, statements, coins to the pool, transfers to a direct relative, the expiry run, job confirmation (earning), maker-checker
 * corrections, the shop and redemptions, the federation's view and the ledger check (docs/timebank-api.md).
 */
export function timebankLedgerRoutes(d: LedgerRouteDeps): Router {
  const r = Router();
  const read = requireRole(...PERMISSIONS['timebank.read']);
  const redeem = requireRole(...PERMISSIONS['timebank.redeem']);
  const shop = requireRole(...PERMISSIONS['timebank.shop']);
  const corrections = requireRole(...PERMISSIONS['timebank.corrections']);
  const federation = requireRole(...PERMISSIONS['timebank.federation']);
  const jobParam = idParam('jobId');
  const approvalParam = idParam('approvalId');
  const itemParam = idParam('itemId');
  const redemptionParam = idParam('redemptionId');

  r.get('/settings', read, (req, res) => {
    emptyBody.parse(req.query);
    const s = d.settings;
    res.json({ unitsPerCoin: UNITS_PER_COIN, unitsPerHour: s.unitsPerHour, rounding: s.rounding, maxMinutesPerJob: s.maxMinutesPerJob, annualCapUnits: s.annualCapUnits, lifetimeCapUnits: s.lifetimeCapUnits, expiryMonths: s.expiryMonths, directRelations: [...s.directRelations], goodsRedemptionEnabled: s.goodsRedemptionEnabled });
  });
  r.get('/volunteers/:volunteerId/statement', read, async (req, res) => {
    res.json(await d.statements.statement(actorOf(req), volunteerParam.parse(req.params).volunteerId, statementQuery.parse(req.query)));
  });
  r.post('/volunteers/:volunteerId/donate', redeem, async (req, res) => {
    res.json(await d.statements.donateToPool(actorOf(req), volunteerParam.parse(req.params).volunteerId, donateCoinsSchema.parse(req.body ?? {})));
  });
  r.post('/volunteers/:volunteerId/transfer', redeem, async (req, res) => {
    const result = await d.transfers.transfer(actorOf(req), volunteerParam.parse(req.params).volunteerId, transferSchema.parse(req.body ?? {}));
    res.status(result.replayed ? 200 : 201).json(result);
  });
  r.post('/jobs/:jobId/confirm', redeem, async (req, res) => {
    res.json(await d.earning.confirm(actorOf(req), jobParam.parse(req.params).jobId as string, confirmJobSchema.parse(req.body ?? {})));
  });

  r.post('/approvals', corrections, async (req, res) => {
    res.status(201).json(await d.approvals.request(actorOf(req), approvalSchema.parse(req.body ?? {})));
  });
  r.get('/approvals', read, async (req, res) => {
    res.json(await d.approvals.list(actorOf(req), listApprovalsSchema.parse(req.query)));
  });
  r.post('/approvals/:approvalId/approve', corrections, async (req, res) => {
    emptyBody.parse(req.body ?? {});
    res.json(await d.approvals.approve(actorOf(req), approvalParam.parse(req.params).approvalId as string));
  });
  r.post('/approvals/:approvalId/reject', corrections, async (req, res) => {
    res.json(await d.approvals.reject(actorOf(req), approvalParam.parse(req.params).approvalId as string, reasonBody.parse(req.body ?? {}).reason));
  });

  r.get('/shop/items', read, async (req, res) => {
    res.json(await d.shop.items(shopListSchema.parse(req.query).includeInactive ?? false));
  });
  r.post('/shop/items', shop, async (req, res) => {
    res.status(201).json(await d.shop.createItem(actorOf(req), shopItemSchema.parse(req.body ?? {})));
  });
  r.patch('/shop/items/:itemId', shop, async (req, res) => {
    res.json(await d.shop.updateItem(actorOf(req), itemParam.parse(req.params).itemId as string, shopItemPatchSchema.parse(req.body ?? {})));
  });
  r.post('/redemptions', redeem, async (req, res) => {
    const redemption = await d.shop.redeem(actorOf(req), redeemSchema.parse(req.body ?? {}));
    res.status(redemption.replayed ? 200 : 201).json(redemption);
  });
  r.get('/redemptions', read, async (req, res) => {
    res.json(await d.shop.list(actorOf(req), listRedemptionsSchema.parse(req.query)));
  });
  r.post('/redemptions/:redemptionId/cancel', redeem, async (req, res) => {
    res.json(await d.shop.cancel(actorOf(req), redemptionParam.parse(req.params).redemptionId as string, reasonBody.parse(req.body ?? {}).reason));
  });

  r.post('/expiry/run', federation, async (req, res) => {
    emptyBody.parse(req.body ?? {});
    res.json(await d.expiry.run(actorOf(req)));
  });
  r.get('/reports/liability', federation, async (req, res) => {
    res.json(await d.statements.liability(actorOf(req), liabilitySchema.parse(req.query)));
  });
  r.get('/reports/ledger-check', federation, async (req, res) => {
    emptyBody.parse(req.query);
    res.json(await d.statements.check(actorOf(req)));
  });
  return r;
}
