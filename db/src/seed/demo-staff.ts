import { DEMO_CITY } from './demo-districts';
import type { DemoStaffUser } from './demo-types';

/**
 * The demo password of every demo staff user. Printed in the README and on the console banner when demo
 * data is seeded; never seed demo users in production.
 */
export const DEMO_PASSWORD = 'Anxin@2026';

/**
 * Demo staff: one or more per role. Agents 8001–8003 are the queue members of the recorded AMI traffic
 * (`Local/8001@agents/n` …). `dispatcher2` is scoped to 东湖区 to show district scoping; everyone
 * else sees the whole city.
 * @example demoStaff().find((u) => u.sipExtension === '8001')?.username; // 'agent8001'
 */
export function demoStaff(): DemoStaffUser[] {
  const city = DEMO_CITY.code;
  return [
    { username: 'agent8001', displayName: '李娜（8001）', role: 'agent', skills: ['sign_language'], sipExtension: '8001', districtCode: city },
    {
      username: 'agent8002', displayName: '王磊（8002）', role: 'agent',
      skills: ['dialect:杭州话', 'dialect:温州话'], sipExtension: '8002', districtCode: city,
    },
    { username: 'agent8003', displayName: '陈静（8003）', role: 'agent', skills: ['medical', 'dialect:四川话'], sipExtension: '8003', districtCode: city },
    { username: 'dispatcher1', displayName: '赵强', role: 'dispatcher', skills: [], sipExtension: null, districtCode: city },
    { username: 'dispatcher2', displayName: '孙丽（东湖区）', role: 'dispatcher', skills: [], sipExtension: null, districtCode: '330102' },
    { username: 'supervisor1', displayName: '周敏', role: 'supervisor', skills: ['medical'], sipExtension: null, districtCode: city },
    { username: 'admin', displayName: '系统管理员', role: 'admin', skills: [], sipExtension: null, districtCode: city },
    { username: 'secadmin', displayName: '安全管理员', role: 'security_admin', skills: [], sipExtension: null, districtCode: city },
    { username: 'auditor', displayName: '审计员', role: 'auditor', skills: [], sipExtension: null, districtCode: city },
  ];
}
