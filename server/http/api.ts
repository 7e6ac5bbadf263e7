// Declares the REST API once: each route's schemas validate requests and generate the OpenAPI document.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { forbidden, sessionExpired, unauthenticated, validationFailed } from '../errors.ts';
import type { Auth } from '../auth/auth.types.ts';
import { checkCsrf } from '../auth/authenticate.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Access = 'public' | 'user' | 'admin';
type AnySchema = z.ZodType;
type Infer<S> = S extends AnySchema ? z.output<S> : undefined;

export interface RouteInput<P, Q, B, A extends Access> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  auth: A extends 'public' ? Auth | null : Auth;
  req: Request;
  res: Response;
}

export interface RouteSpec<P = undefined, Q = undefined, B = undefined, A extends Access = Access> {
  method: Method;
  /** Express-style path under /api/v1, e.g. `/tickets/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** Status of a successful answer (default 200; 204 when the handler returns undefined). */
  status?: number;
  handler: (input: RouteInput<P, Q, B, A>) => Promise<unknown>;
}

/** Turns a ZodError into the field paths and messages a client can show. */
export function issuesOf(error: z.ZodError, where: string) {
  return error.issues.flatMap((i): { path: string; message: string; code: string }[] => {
    const at = (extra: string[] = []) => [where, ...i.path.map(String), ...extra].join('.');
    // An unknown field is named by its own path, so a client sees which field it may not send.
    if (i.code === 'unrecognized_keys') return i.keys.map((key) => ({ path: at([key]), message: 'is not a field of this request', code: i.code }));
    return [{ path: at(), message: i.message, code: i.code }];
  });
}

function parse<S extends AnySchema | undefined>(schema: S, value: unknown, where: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw validationFailed(issuesOf(result.error, where));
  return result.data as Infer<S>;
}

export class Api {
  private readonly routes: RouteSpec<any, any, any, any>[] = [];

  /** Declares one route. */
  route<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined, A extends Access>(
    spec: RouteSpec<P, Q, B, A>,
  ): void {
    this.routes.push(spec);
  }

  /** An Express router serving every declared route (auth must already be resolved on req). */
  router(): Router {
    const router = express.Router();
    for (const spec of this.routes) {
      router[spec.method](spec.path, async (req: Request, res: Response) => {
        const auth = req.auth ?? null;
        if (spec.access !== 'public' && !auth) {
          throw req.sessionExpired ? sessionExpired() : unauthenticated();
        }
        // Signing in is public and needs no token; every other change made with the cookie does.
        if (spec.access !== 'public') checkCsrf(req);
        if (spec.access === 'admin' && !auth?.user.isAdmin) throw forbidden('Only an admin may do that.');
        const input = {
          params: parse(spec.params, req.params, 'params'),
          query: parse(spec.query, req.query, 'query'),
          body: parse(spec.body, req.body, 'body'),
          auth,
          req,
          res,
        };
        const result = await spec.handler(input);
        if (res.headersSent) return;
        if (result === undefined) res.status(204).end();
        else res.status(spec.status ?? 200).json(result);
      });
    }
    return router;
  }

  /** The OpenAPI 3.1 document generated from the same schemas that validate requests. */
  openapi(): object {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const spec of this.routes) {
      const path = '/api/v1' + spec.path.replace(/:(\w+)/g, '{$1}');
      const parameters = [
        ...parametersOf(spec.params, 'path'),
        ...parametersOf(spec.query, 'query'),
      ];
      const op: Record<string, unknown> = {
        summary: spec.summary,
        tags: [spec.tag],
        security: spec.access === 'public' ? [] : [{ session: [] }, { bearer: [] }, { basic: [] }],
        responses: {
          [String(spec.status ?? 200)]: { description: 'Success' },
          '400': { $ref: '#/components/responses/Error' },
          ...(spec.access === 'public' ? {} : { '401': { $ref: '#/components/responses/Error' } }),
        },
      };
      if (parameters.length) op.parameters = parameters;
      if (spec.body) {
        op.requestBody = {
          required: true,
          content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) } },
        };
      }
      (paths[path] ??= {})[spec.method] = op;
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Gantry', version: '1', description: 'Release tickets: SVN staging, approvals, versions, deploys.' },
      paths,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gantry_session', description: 'plus X-CSRF-Token on changes' },
          bearer: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic' },
        },
        responses: {
          Error: {
            description: 'An error',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    error: {
                      type: 'object',
                      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
                      required: ['code', 'message'],
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
  }
}

function parametersOf(schema: AnySchema | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}
