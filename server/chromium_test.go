package server_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserTestsRequired says whether a browser test may not skip: under make test and in CI.
func browserTestsRequired() bool {
	return os.Getenv("CI") != "" || os.Getenv("PARTNERNET_REQUIRE_CONFORMANCE") != ""
}

// headlessChromium starts headless Chromium for a browser test, with a window of width×height,
// a profile of its own and no host but loopback, and returns a browser context that ends with
// the test or after timeout. Without Chromium it skips the test, or fails it where browser tests
// may not skip (scripts/install-chromium.sh installs it).
func headlessChromium(t *testing.T, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		if browserTestsRequired() {
			t.Fatal("chromium is missing: scripts/install-chromium.sh installs it")
		}
		t.Skip("chromium is missing: scripts/install-chromium.sh installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		// Loopback only: every other host name fails to resolve.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(width, height),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	return ctx
}
