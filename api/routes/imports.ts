// Go-live imports (issue 13): a team leader or an administrator sends the PAS extract as text/csv and gets 202 and an
// id at once; the import runs in the background (api/imports.ts) and GET /api/imports/{id} shows its progress and
// every rejected row. ?dryRun=true checks the file and changes nothing.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { IMPORT_HEADER } from '../../domain/import';
import { importHeaderProblem } from '../../domain/import-validation';
import { importStatuses } from '../../domain/model';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv, Role } from '../context';
import { AppError, invalid, notFound } from '../errors';
import { createImport, readImport, type ImportJobs } from '../imports';
import { MAX_BODY_BYTES_EXTENSION, MAX_IMPORT_BODY_BYTES } from '../security';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';

const leaders: Role[] = ['team_leader', 'admin'];
const str = z.string();
const strN = z.string().nullable();
const int = z.number().int();

export const importError = z.object({
  line: int.openapi({ description: 'The line of the file the row starts on; the header is line 1' }),
  field: str.openapi({ description: `The column to blame (${IMPORT_HEADER.join(', ')}), or \`row\` for the row as a whole` }),
  message: str.openapi({ description: 'What is wrong, in the access centre\'s words (never repeating the patient\'s details)' }),
}).openapi('ImportError');

const importFields = {
  id: str, status: z.enum(importStatuses).openapi({ description: 'running (or stopped part-way, resumable), done, or failed' }),
  dryRun: z.boolean().openapi({ description: 'Checked only: nothing was imported' }), fileName: strN,
  total: int.openapi({ description: 'Data rows in the file' }),
  imported: int.openapi({ description: 'Pathways brought over by this import' }),
  unchanged: int.openapi({ description: 'Rows already here (same PPID or UBRN): nothing changed for them' }),
  rejected: int.openapi({ description: 'Rows with at least one error: not imported' }),
  nextLine: int.openapi({ description: 'The first line not yet imported: where a stopped import resumes' }),
  failure: strN.openapi({ description: 'Why a failed import stopped' }),
  createdBy: strN, createdByName: strN, createdAt: str, finishedAt: strN,
};
export const importListed = z.object(importFields).openapi('ImportListed');
export const importRecord = z.object({ ...importFields, errors: z.array(importError) }).openapi('Import');
export const importAccepted = z.object({ id: str }).openapi('ImportAccepted');

type ImportRow = Record<string, unknown> & { id: string };
export const importListSpec: ListSpec<ImportRow> = {
  resource: 'imports',
  // Never the file and never the errors (they can be long): the record's own page has those.
  select: sql`i.id, i.status, i.dry_run as "dryRun", i.file_name as "fileName", i.total, i.imported, i.unchanged, i.rejected,
    i.next_line as "nextLine", i.failure, i.created_by as "createdBy", s.name as "createdByName",
    ${iso(sql`i.created_at`)} as "createdAt", ${iso(sql`i.finished_at`)} as "finishedAt"`,
  from: sql`imports i left join staff s on s.id = i.created_by`,
  filters: {
    id: { column: sql`i.id` }, status: enumFilter(sql`i.status`, importStatuses), dryRun: { column: sql`i.dry_run`, kind: 'bool' },
    createdBy: { column: sql`i.created_by` }, createdAt: { column: sql`i.created_at`, kind: 'timestamp' },
  },
  sorts: { id: sql`i.id`, createdAt: sql`i.created_at`, status: sql`i.status`, total: sql`i.total`, finishedAt: sql`i.finished_at` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`i.id`,
};

const csvType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase();

export function importRoutes(deps: AppDeps & { today: () => string }, jobs: ImportJobs): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router()
    .openapi(route({
      method: 'post', path: '/', tags: ['imports'], operationId: 'create_import',
      summary: 'Import open pathways from a PAS extract (team leaders and administrators); ?dryRun=true checks it and changes nothing',
      description: `The body is the CSV file itself (Content-Type: text/csv, at most ${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MB). Its first line must be `
        + `exactly \`${IMPORT_HEADER.join(',')}\` (docs/import.md). Answers 202 at once; the import runs in the background: `
        + 'follow it with GET /api/imports/{id}. Importing the same file again changes nothing (rows are matched by PPID or UBRN).',
      middleware: onlyFor(leaders, 'import pathways'),
      // The body is a file: its own type and limit, declared here for the checks before the routes.
      [MAX_BODY_BYTES_EXTENSION]: MAX_IMPORT_BODY_BYTES,
      request: {
        query: z.object({
          dryRun: z.string().optional().openapi({ description: '`true`: check every row and import nothing', example: 'true' }),
          fileName: z.string().optional().openapi({ description: 'The file\'s name, shown on the import (at most 200 characters)', example: 'pas-extract.csv' }),
        }),
        body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ description: 'The PAS extract, header first' }) } } },
      },
      responses: {
        202: { ...json('Accepted: the import is running', importAccepted), headers: { Location: { description: 'The import', schema: { type: 'string' } } } },
        ...errors(...signedIn),
      },
    }), async (c) => {
      const me = c.get('staff');
      if (csvType(c.req.header('content-type')) !== 'text/csv') {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as text/csv', { '(body)': 'must be text/csv' });
      }
      const { dryRun, fileName } = c.req.valid('query');
      if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') throw invalid('dryRun', 'must be true or false');
      if (fileName !== undefined && (fileName.length > 200 || fileName.includes('\u0000'))) throw invalid('fileName', 'must be at most 200 characters');
      const source = await c.req.text();
      // Postgres text cannot hold a NUL character; a file with one is not a CSV extract.
      if (source.includes('\u0000')) throw invalid('(body)', 'must not contain a NUL character');
      const problem = importHeaderProblem(source);
      if (problem) throw new AppError('VALIDATION_FAILED', problem, { header: problem });
      const id = await createImport(db, { source, dryRun: dryRun === 'true', fileName: fileName || null, createdBy: me.id });
      void jobs.start(id);
      c.header('Location', `/api/imports/${id}`);
      return c.json({ id }, 202);
    })
    .openapi(listRoute('imports', 'List imports, newest first (team leaders and administrators)', importListed,
      onlyFor(leaders, 'see imports')), (c) => listResource(c, db, importListSpec))
    .openapi(route({
      method: 'get', path: '/{id}', tags: ['imports'], operationId: 'get_import',
      summary: 'An import: its status, counts and every rejected row with its line and field (team leaders and administrators)',
      middleware: onlyFor(leaders, 'see imports'),
      request: { params: idParams('The import id (imp_…)') },
      responses: { 200: json('The import', importRecord), ...errors(...signedIn, 404) },
    }), async (c) => {
      const id = c.req.valid('param').id;
      const found = await readImport(db, id);
      if (!found) throw notFound('import', id);
      const [who] = found.createdBy ? await queryRows<{ name: string }>(db, sql`select name from staff where id = ${found.createdBy}`) : [];
      return c.json({ ...found, createdByName: who?.name ?? null });
    });
}
