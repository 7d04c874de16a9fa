/** `--accounts-file`: each accepted form, and malformed files located by line and column. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { parseAccountsFile, readAccountsFile } from '../../src/load/accountsFile.js';

function issuesOf(text: string): InputError['issues'] {
  try {
    parseAccountsFile(text, 'accounts.txt');
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.issues;
  }
  return assert.fail('expected an InputError');
}

describe('accounts file (--accounts-file)', () => {
  it('one id a line: blank lines and # comments (whole-line or trailing) ignored, each id once', () => {
    const text = '# production\n111111111111\n\n  222222222222   # payments\r\n111111111111\n';
    assert.deepEqual(parseAccountsFile(text, 'a.txt'), { accountIds: ['111111111111', '222222222222'], notActive: [] });
  });

  it('a JSON array of ids', () => {
    assert.deepEqual(parseAccountsFile('["333333333333", "111111111111"]', 'a.json').accountIds, ['333333333333', '111111111111']);
  });

  it('the JSON of `aws organizations list-accounts`: ACTIVE ones kept, the others returned apart', () => {
    const text = JSON.stringify(
      {
        Accounts: [
          { Id: '111111111111', Name: 'management', State: 'ACTIVE', Status: 'ACTIVE' },
          { Id: '222222222222', Name: 'closed', State: 'SUSPENDED', Status: 'SUSPENDED' },
          { Id: '333333333333', Status: 'PENDING_CLOSURE' },
          { Id: '444444444444' },
        ],
      },
      null,
      4,
    );
    assert.deepEqual(parseAccountsFile(text, 'a.json'), {
      accountIds: ['111111111111', '444444444444'],
      notActive: [
        { id: '222222222222', state: 'SUSPENDED' },
        { id: '333333333333', state: 'PENDING_CLOSURE' },
      ],
    });
  });

  it('a bad line is located by line and column, every bad line listed', () => {
    const issues = issuesOf('111111111111\n  12345 # too short\n22222222222a\n');
    assert.deepEqual(
      issues.map((i) => [i.line, i.column]),
      [
        [2, 3],
        [3, 1],
      ],
    );
    assert.match(issues[0]?.message ?? '', /expected a 12-digit AWS account id .*found "12345"/u);
  });

  it('a JSON id that is a number or malformed is located at its value', () => {
    const issues = issuesOf('[\n  "111111111111",\n  111111111112\n]');
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0]?.line, issues[0]?.column, issues[0]?.path], [3, 3, '[1]']);
    assert.match(issues[0]?.message ?? '', /as a string, found 111111111112/u);
    const listed = issuesOf('{"Accounts": [\n {"Id": "1"},\n {"Name": "x"}\n]}');
    assert.deepEqual(
      listed.map((i) => [i.line, i.path]),
      [
        [2, 'Accounts[0].Id'],
        [3, 'Accounts[1]'],
      ],
    );
  });

  it('JSON syntax errors carry their position; other JSON shapes and empty files say what is expected', () => {
    // A missing comma: Node 20's message gives the offset, turned into line and column.
    const syntax = issuesOf('[\n  "111111111111"\n  "222222222222"\n]');
    assert.equal(syntax[0]?.line, 3);
    assert.match(syntax[0].message, /not valid JSON/u);
    assert.match(issuesOf('{"accounts": []}')[0]?.message ?? '', /list-accounts/u);
    assert.match(issuesOf('# nothing here\n\n')[0]?.message ?? '', /names no account/u);
  });

  it('is read through the input reader (a directory is refused as an InputError)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accounts-file-'));
    try {
      const file = join(dir, 'ids.txt');
      writeFileSync(file, '555555555555\n');
      assert.deepEqual(readAccountsFile(file).accountIds, ['555555555555']);
      assert.throws(() => readAccountsFile(dir), InputError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
