import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditActionName } from '../../admin/src/audit/actions.js';
import { AuditAction } from '../../api/src/modules/audit/audit.service.js';

// Checked by `npm run typecheck` (this file is in the API's program, which knows the enum): an
// action the API gains without a console label fails to compile here.
type Unlabelled = Exclude<`${AuditAction}`, AuditActionName>;
const everyApiActionIsLabelled: [Unlabelled] extends [never] ? true : Unlabelled = true;

describe('audit actions', () => {
  it("label every value of the API's AuditAction enum, and the actions recorded outside it", () => {
    expect(everyApiActionIsLabelled).toBe(true);
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining([...Object.values(AuditAction), 'REALIGNMENT_APPLIED']));
  });
});
