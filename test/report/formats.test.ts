/**
 * The report format list has one home (src/report/formats.ts); every other place that names the
 * formats is generated from it or checked against it here.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, it } from 'mocha';
import { addCommonOptions, formatList } from '../../src/cli/options.js';
import { FORMATTERS } from '../../src/report/index.js';
import { REPORT_FILE_NAMES, REPORT_FORMATS } from '../../src/report/formats.js';

const root = new URL('../../', import.meta.url);

describe('report formats (one list)', () => {
  it('the rules schema allows exactly the report formats, in the same order', () => {
    const schema = JSON.parse(readFileSync(new URL('schemas/rules.schema.json', root), 'utf8')) as {
      properties: { reports: { items: { enum: string[] } } };
    };
    assert.deepEqual(schema.properties.reports.items.enum, [...REPORT_FORMATS]);
  });

  it('the formatter registry has one formatter per format and nothing else', () => {
    assert.deepEqual(Object.keys(FORMATTERS), [...REPORT_FORMATS]);
  });

  it('the CLI help and the --format parser list every format', () => {
    const help = addCommonOptions(new Command('audit'), { allowUnknown: 'x', quiet: 'y' }).helpInformation();
    assert.ok(help.replace(/\s+/gu, ' ').includes(`report formats (${REPORT_FORMATS.join(', ')})`), help);
    assert.throws(() => formatList()('pdf'), new RegExp(`expected ${REPORT_FORMATS.join(', ')}$`, 'u'));
    assert.deepEqual(formatList()(REPORT_FORMATS.join(',')), [...REPORT_FORMATS]);
  });

  it('the README names every format and the file it is written to', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    for (const format of REPORT_FORMATS) {
      assert.match(readme, new RegExp(`--format [a-z,]*\\b${format}\\b`, 'u'), `README shows --format ${format}`);
      assert.ok(readme.includes(`\`${REPORT_FILE_NAMES[format]}\``), `README names ${REPORT_FILE_NAMES[format]}`);
    }
  });

  it('the engine does not know report formats', () => {
    for (const file of readdirSync(new URL('src/engine/', root))) {
      const text = readFileSync(new URL(`src/engine/${file}`, root), 'utf8');
      assert.doesNotMatch(text, /from '\.\.\/report\//u, `src/engine/${file} imports from src/report/`);
      assert.doesNotMatch(text, /ReportFormat|REPORT_FORMATS/u, `src/engine/${file} names report formats`);
    }
  });
});
