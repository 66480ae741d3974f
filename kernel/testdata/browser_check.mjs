// Opens a notebook in JupyterLab with headless Chromium, runs all its cells
// as a learner would (Run > Run All Cells), waits for the first code excerpt
// rendered by show.Code, checks that it is highlighted (keywords in their
// colour), and saves a screenshot of it.
//
// usage: node browser_check.mjs URL SCREENSHOT.png
// Needs playwright-core (NODE_PATH) and Chromium (CHROMIUM, default /usr/bin/chromium).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [url, shot] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(url);
  // The notebook is open and its kernel idle.
  await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 120000 });
  // JupyterLab asks which kernel to start, the notebook's own preselected:
  // accept it as a learner would.
  await page.locator(".jp-Dialog button:has-text('Select')").click({ timeout: 30000 }).catch(() => {});
  await page.waitForSelector(".jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: 120000 }).catch(() => {});
  await page.click(".lm-MenuBar-itemLabel:text-is('Run')");
  await page.click(".lm-Menu-itemLabel:text-is('Run All Cells')");
  const code = page.locator(".jp-OutputArea-output .baeum-code").first();
  try {
    await code.waitFor({ timeout: Number(process.env.WAIT_MS || 300000) });
  } catch (e) {
    await page.screenshot({ path: shot.replace(/\.png$/, "-failed.png"), fullPage: true });
    throw e;
  }
  await code.scrollIntoViewIfNeeded();
  const found = await code.evaluate((el) => {
    const spans = [...el.querySelectorAll("pre span")];
    const keyword = spans.find((s) => s.textContent === "func");
    return {
      caption: el.firstElementChild.textContent,
      spans: spans.length,
      keywordColour: keyword ? getComputedStyle(keyword).color : null,
    };
  });
  await code.screenshot({ path: shot });
  console.log(JSON.stringify(found));
  if (found.spans < 5 || found.keywordColour !== "rgb(207, 34, 46)") {
    console.error("the code excerpt is not highlighted");
    process.exit(1);
  }
} finally {
  await browser.close();
}
