// Builds the Express app: JSON API under /api/v1 (with its OpenAPI document) and, later, the web app.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { AppContext } from './context.ts';
import { Api } from './http/api.ts';
import { apiNotFound, errorHandler } from './http/errors.middleware.ts';
import { authenticate } from './auth/authenticate.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { projectRoutes } from './projects/projects.routes.ts';
import { ticketRoutes } from './tickets/tickets.routes.ts';
import { tokenRoutes } from './tokens/tokens.routes.ts';
import { userRoutes } from './users/users.routes.ts';
import { engineRoutes } from './engine/engine.routes.ts';

/** Every API route, declared once. */
export function buildApi(ctx: AppContext): Api {
  const api = new Api();
  api.route({
    method: 'get', path: '/health', summary: 'Liveness and database reachability', tag: 'health', access: 'public',
    async handler() {
      await ctx.db.prisma.user.count();
      return { status: 'ok', database: ctx.db.provider };
    },
  });
  authRoutes(api, ctx);
  userRoutes(api, ctx);
  projectRoutes(api, ctx);
  ticketRoutes(api, ctx);
  tokenRoutes(api, ctx);
  auditRoutes(api, ctx);
  engineRoutes(api, ctx);
  return api;
}

/** The built web app (web/dist/…/browser), with index.html for every app route; a note when it is not built. */
function serveWebApp(app: express.Express) {
  const dist = webDist();
  if (!dist) {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('Gantry is running. The web app is not built (npm start builds it); the API is under /api/v1.\n');
    });
    return;
  }
  app.use(express.static(dist, { index: false, maxAge: '1h', setHeaders: (res, file) => {
    // Hashed bundles never change; index.html must always be fresh.
    if (/\.[0-9a-z]{8,}\.(js|css)$/i.test(file)) res.set('Cache-Control', 'public, max-age=31536000, immutable');
  } }));
  app.get(/^(?!\/api\/).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.set('Cache-Control', 'no-cache').sendFile(path.join(dist, 'index.html'));
  });
}

/** Where the production build of the web app is, if it was built. */
export function webDist(): string | null {
  const root = path.resolve(import.meta.dirname, '..', 'web', 'dist');
  const candidates = [path.join(root, 'browser'), ...(fs.existsSync(root) ? fs.readdirSync(root).map((d) => path.join(root, d, 'browser')) : [])];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}

/**
 * Headers on every answer: no type sniffing, no framing by other sites (clickjacking), and a content
 * security policy that lets the web app load only its own scripts, styles, fonts and API (Angular adds
 * component styles at run time, hence 'unsafe-inline' for styles only; Bootstrap's icons in CSS are
 * data: images). The production build does not inline critical CSS, whose onload handler this policy forbids.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Referrer-Policy': 'same-origin',
  });
  next();
}

/** The HTTP application. */
export function buildApp(ctx: AppContext) {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.set('trust proxy', ctx.config.trustProxy);
  const api = buildApi(ctx);
  const openapi = api.openapi();
  const v1 = express.Router();
  v1.use(express.json({ limit: '256kb', strict: true }));
  v1.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  v1.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  v1.use(authenticate(ctx));
  v1.use(api.router());
  v1.use(apiNotFound);
  app.use('/api/v1', v1);
  app.use('/api', apiNotFound);
  serveWebApp(app);
  // Anything else (an asset that does not exist, a page when the app is not built): a plain 404 of our
  // own, with our headers (Express's fallback answer would replace the security policy).
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).type('text/plain').send('Not found.\n');
  });
  app.use(errorHandler(ctx.log));
  return app;
}
