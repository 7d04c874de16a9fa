import { writeFileSync } from 'node:fs';
import { formatHtml } from '../../src/report/html.js';
import { FINDINGS, makeContext } from './fixtures.js';
writeFileSync('/tmp/h1.html', formatHtml(FINDINGS, makeContext()));
