package mlx

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// A Sidecar is a file kept in a checkpoint folder beside the variables: what
// a model needs besides its weights (its configuration, its vocabulary).
// Write writes it to the path it is given.
type Sidecar struct {
	Name  string
	Write func(path string) error
}

// JSONSidecar is a Sidecar holding v as JSON.
func JSONSidecar(name string, v any) Sidecar {
	return Sidecar{Name: name, Write: func(path string) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return os.WriteFile(path, b, 0o644)
	}}
}

// SaveCheckpoint writes the variables and parameters of store, with GoMLX's
// checkpoint format, and the sidecar files into dir. It writes into a
// temporary folder beside dir and renames it into place only once complete,
// so an interrupted save never leaves a checkpoint (or a sidecar) that loads
// as valid, and the previous one survives.
func SaveCheckpoint(store *model.Store, dir string, sidecars ...Sidecar) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("mlx: creating checkpoint folder: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".saving-*")
	if err != nil {
		return fmt.Errorf("mlx: creating checkpoint folder: %w", err)
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	h, err := checkpoint.Build(store).Dir(tmp).Done()
	if err == nil {
		err = h.Save()
	}
	for _, sc := range sidecars {
		if err != nil {
			break
		}
		if err = sc.Write(filepath.Join(tmp, sc.Name)); err != nil {
			err = fmt.Errorf("%s: %w", sc.Name, err)
		}
	}
	if err != nil {
		return fmt.Errorf("mlx: saving checkpoint into %s: %w", dir, err)
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("mlx: replacing checkpoint %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir) // put the previous checkpoint back
		return fmt.Errorf("mlx: replacing checkpoint %s: %w", dir, err)
	}
	return os.RemoveAll(old)
}

// LoadCheckpoint loads the checkpoint in dir into store (variables are read
// as the model creates them). It returns false, with no error, when dir does
// not exist, so a lesson can train and save instead; a folder that exists but
// holds no valid checkpoint is an error saying what to delete.
func LoadCheckpoint(store *model.Store, dir string) (bool, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if _, err := checkpoint.Load(store).Dir(dir).Done(); err != nil {
		return false, fmt.Errorf("mlx: checkpoint %s cannot be loaded (%v); delete the folder to train the model again", dir, err)
	}
	return true, nil
}

// LoadCheckpointJSON reads the JSON sidecar name of the checkpoint in dir
// into v, then the checkpoint into a new store. A missing checkpoint is an
// error that says to run the training cell first.
func LoadCheckpointJSON(dir, name string, v any) (*model.Store, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("mlx: %w (run the training cell first)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("mlx: %s: %w", filepath.Join(dir, name), err)
	}
	store := model.NewStore()
	if found, err := LoadCheckpoint(store, dir); err != nil || !found {
		return nil, fmt.Errorf("mlx: no checkpoint in %s (%v)", dir, err)
	}
	return store, nil
}

// CheckpointDir is where lessons keep the models they train and share
// ("cnn-mnist", ...): $BAEUM_CHECKPOINTS if set, else ~/.cache/baeum/checkpoints.
func CheckpointDir(name string) (string, error) {
	if d := os.Getenv("BAEUM_CHECKPOINTS"); d != "" {
		return filepath.Join(d, name), nil
	}
	cache, err := cacheDir()
	if err != nil {
		return "", fmt.Errorf("mlx: no cache folder for checkpoints (%v); set BAEUM_CHECKPOINTS", err)
	}
	return filepath.Join(cache, "checkpoints", name), nil
}

// LoadOrTrain is what a lesson that starts from an earlier lesson's model
// does: when the checkpoint folder name (CheckpointDir) holds marker, it
// returns load(dir); otherwise it says that the model (what, e.g. "lesson
// 07's GPT") is missing, trains it, saves it with save(model, dir) and
// returns it.
func LoadOrTrain[T any](name, marker, what string, load func(dir string) (T, error), train func() (T, error), save func(m T, dir string) error) (T, error) {
	var none T
	dir, err := CheckpointDir(name)
	if err != nil {
		return none, err
	}
	if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
		m, err := load(dir)
		if err == nil {
			fmt.Printf("loaded %s from %s\n", what, dir)
		}
		return m, err
	}
	fmt.Printf("no checkpoint of %s in %s: training it now (as its notebook does)\n", what, dir)
	m, err := train()
	if err != nil {
		return none, err
	}
	if err := save(m, dir); err != nil {
		return none, err
	}
	fmt.Println("saved it to", dir)
	return m, nil
}

// SaveAs saves a model with save into the checkpoint folder name
// (CheckpointDir) and returns the folder.
func SaveAs(name string, save func(dir string) error) (string, error) {
	dir, err := CheckpointDir(name)
	if err != nil {
		return "", err
	}
	return dir, save(dir)
}
