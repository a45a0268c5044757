/** The regulations as they run here: statuses, types, lines, deadlines, who may do what. */
import { z } from 'zod';
import { currentRef, REGULATION_IDS, resolveRegulation, ROLES, type RegulationId } from '../../domain';
import { Problem } from '../problems';
import { route, SHARED, type RouteSpec } from '../route';
import { anyObject, problem } from '../schemas';

export const regulationRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/regulations',
    tag: 'Регламенты',
    summary: 'Регламенты этой установки: идентификатор, версия, название',
    roles: ROLES,
    scope: SHARED,
    responses: { 200: { description: 'Регламенты', schema: anyObject } },
    handler: async ({ ctx }) => ({
      status: 200,
      body: {
        items: REGULATION_IDS.map((id) => {
          const r = resolveRegulation(currentRef(id, ctx.regulationSettings[id]));
          return {
            id: r.id,
            version: r.version,
            title: r.title,
            source: r.source,
            timeZone: r.workingHours.timeZone,
            default: id === ctx.defaultRegulation,
          };
        }),
      },
    }),
  }),
  route({
    method: 'get',
    path: '/regulations/:id',
    tag: 'Регламенты',
    summary: 'Регламент целиком, с настройками установки: статусы, типы, линии, сроки, права на действия',
    roles: ROLES,
    scope: SHARED,
    params: z.strictObject({ id: z.string().max(40) }),
    responses: {
      200: { description: 'Регламент', schema: anyObject },
      404: { description: 'Нет такого регламента', schema: problem },
    },
    handler: async ({ ctx, params }) => {
      if (!(REGULATION_IDS as readonly string[]).includes(params.id))
        throw new Problem('not_found', `Регламент ${params.id} не найден.`);
      const id = params.id as RegulationId;
      return { status: 200, body: resolveRegulation(currentRef(id, ctx.regulationSettings[id])) };
    },
  }),
];
