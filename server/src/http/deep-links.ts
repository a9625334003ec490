import { Router, type Request, type Response } from 'express';

/**
 * The short links sent by SMS open the console's hash routes: `/f/<token>` (a field worker's job page) and
 * `/v/<code>` (a volunteer's one-time statement link). Whether a token is valid is the page's call to the
 * API, which says so in words on the page: the redirect tells nothing about a token, even a malformed one
 * (it is carried URL-encoded and cut to a bounded length).
 * @example GET /f/abc123def → 302 Location: /#/f/abc123def
 */
export function deepLinkRoutes(): Router {
  const r = Router();
  const to = (hashPath: string) => (req: Request, res: Response) => {
    const token = encodeURIComponent(String(req.params.token ?? '').slice(0, 200));
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    res.redirect(302, `/#/${hashPath}/${token}`);
  };
  r.get('/f/:token', to('f'));
  r.get('/v/:token', to('volunteer/link'));
  return r;
}
