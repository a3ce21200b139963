import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
const server = spawn(process.env.BP_SERVER_BIN, ['--addr','127.0.0.1:0','--database','/tmp/probe/db3.sqlite3','--content',process.env.BP_CONTENT,'--dist',process.env.DIST || process.env.BP_DIST], {stdio:['ignore','pipe','ignore']});
const url = await new Promise(r => server.stdout.on('data', c => { const m = String(c).match(/running at (http:\/\/[^\s]+)/); if (m) r(m[1]); }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const page = await browser.newPage(); await page.addInitScript(() => { Error.stackTraceLimit = 200; });
page.on('console', m => console.log('console', m.type(), m.text().slice(0, 60000)));
page.on('pageerror', e => console.log('pageerror', e.message.slice(0,3000)));
await page.goto(url.replace(/\/$/, '') + (process.argv[2] || '/'));
await page.waitForTimeout(Number(process.env.WAIT || 4000));
console.log('items', await page.locator('.latest .article-list__item').count()); if (process.env.CLICK) { await page.getByTestId('more-articles').click(); await page.waitForTimeout(1500); console.log('after', await page.locator('.latest .article-list__item').count()); }
await browser.close(); server.kill();
