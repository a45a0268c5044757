/**
 * The operator console (web/dist) at the API's root. Browsers navigating (Accept: text/html) get the
 * single-page application for any path, including `/`; API clients asking for JSON (or anything)
 * keep getting the API. Built assets are content-hashed and cached for a year; index.html never.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';

/** Paths that are never the console, whatever the browser accepts. */
const API_ONLY = /^\/(docs|openapi\.json|metrics|healthz|readyz|events)(\/|$)/;

export function serveConsole(dir: string): RequestHandler {
  const indexPath = join(dir, 'index.html');
  const assets = express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false });
  const files = express.static(dir, { index: false, maxAge: '1h' });
  let index: Buffer | null = null;
  const page = (): Buffer | null => {
    if (!index && existsSync(indexPath)) index = readFileSync(indexPath);
    return index;
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/assets/')) {
      req.url = req.url.slice('/assets'.length);
      return assets(req, res, () => {
        req.url = `/assets${req.url}`;
        next();
      });
    }
    if (/^\/(favicon\.svg|robots\.txt)$/.test(req.path)) return files(req, res, next);
    if (API_ONLY.test(req.path) || req.accepts(['json', 'html']) !== 'html') return next();
    const html = page();
    if (!html) return next();
    res.status(200).type('html').setHeader('Cache-Control', 'no-cache').send(html);
  };
}
