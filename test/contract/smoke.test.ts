import { expect, inject, test } from 'vitest';

test('the Prism mock answers the native list with the seed example', async () => {
  const res = await fetch(`${inject('prismUrl')}/v2/p1/cloudsnapshots/detail`, { headers: { 'X-Auth-Token': 't' } });
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.count).toBe(3);
});
