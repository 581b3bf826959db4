// Headless Debian Chromium for the browser tests (never a downloaded browser). The flags
// keep it off the network by itself: without the background-networking ones it keeps
// trying Google's hosts, which this machine's closed network refuses.

import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
