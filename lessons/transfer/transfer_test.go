package transfer

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// numpyBytes is what `np.save(f, np.array([[1, 2, 3], [4, 5, 6]], dtype="<f4"))`
// writes (format 1.0, NumPy's NEP 1): magic, version 1.0, header length
// 118 ("v\x00"), the header padded with spaces to 128 bytes, the data.
var numpyBytes = "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" +
	strings.Repeat(" ", 58) + "\n" +
	"\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40\x00\x00\x80\x40\x00\x00\xa0\x40\x00\x00\xc0\x40"

func TestNPYMatchesNumPy(t *testing.T) {
	var b bytes.Buffer
	if err := writeNPY(&b, []float32{1, 2, 3, 4, 5, 6}, []int{2, 3}); err != nil {
		t.Fatal(err)
	}
	if b.String() != numpyBytes {
		t.Errorf("writeNPY wrote\n%q\nwant\n%q", b.String(), numpyBytes)
	}
	data, dims, err := readNPY(strings.NewReader(numpyBytes))
	if err != nil || len(dims) != 2 || dims[0] != 2 || dims[1] != 3 || data[5] != 6 {
		t.Errorf("readNPY: %v %v %v", data, dims, err)
	}
	if _, _, err := readNPY(strings.NewReader("\x93NUMPY\x01\x00")); err == nil {
		t.Error("truncated file accepted")
	}
}

// tinyBase is a lesson-03 network trained for a few steps on 256 digits.
func tinyBase(t *testing.T) (*cnn.Classifier, *cnn.Data) {
	t.Helper()
	digits, err := cnn.LoadData("mnist", "train", 256)
	if err != nil {
		t.Skip("MNIST not available:", err)
	}
	clothes, err := cnn.LoadData("fashion-mnist", "train", 128)
	if err != nil {
		t.Skip("Fashion-MNIST not available:", err)
	}
	clf, _, err := cnn.Train(mlx.MustBackend(), digits, cnn.Config{Steps: 10, BatchSize: 32, LearningRate: 1e-3, Seed: 1, Points: 5})
	if err != nil {
		t.Fatal(err)
	}
	return clf, clothes
}

func TestFrozenBaseDoesNotChange(t *testing.T) {
	backend := mlx.MustBackend()
	clf, clothes := tinyBase(t)
	clfBefore, _ := clf.Predict(clothes.X[:784], 1)

	net, err := FromPretrained(backend, clf, 3)
	if err != nil {
		t.Fatal(err)
	}
	net.Frozen = true
	snap, err := net.Snapshot()
	if err != nil || len(snap) != 6 {
		t.Fatalf("snapshot of %d variables, err %v", len(snap), err)
	}
	stage := Stage{Steps: 12, BatchSize: 32, LearningRate: 1e-3, EvalEvery: 4, Seed: 1}
	curve, hist, err := net.Train("frozen", clothes, clothes, stage)
	if err != nil {
		t.Fatal(err)
	}
	if len(curve.Steps) != 4 || curve.Steps[3] != 12 {
		t.Errorf("curve steps %v, want [0 4 8 12]", curve.Steps)
	}
	if !(hist.LastLoss() < hist.FirstLoss()) {
		t.Errorf("head loss did not fall: %v -> %v", hist.FirstLoss(), hist.LastLoss())
	}
	if diff, n, err := net.MaxChange(snap); err != nil || diff != 0 || n != BaseParams {
		t.Errorf("frozen base changed by %g over %d values (err %v); want 0 over %d", diff, n, err, BaseParams)
	}
	head := net.Store.GetVariable("/" + NewHeadScope + "/dense1/dense/weights")
	if head == nil || head.Shape().Size() != 576*256 {
		t.Fatalf("new head missing or of the wrong size: %v", head)
	}
	// IsBase picked exactly the 6 base variables, and only those were frozen.
	bases := 0
	for v := range net.Store.IterVariables() {
		if IsBase(v.Path()) {
			bases++
			if v.Trainable {
				t.Errorf("%s is still trainable in the frozen net", v.Path())
			}
		} else if strings.HasPrefix(v.Path(), "/"+NewHeadScope+"/") && !v.Trainable {
			t.Errorf("%s of the new head is not trainable", v.Path())
		}
	}
	if bases != 6 {
		t.Errorf("IsBase matched %d variables, want 6 (3 kernels, 3 biases)", bases)
	}

	// Fine-tuning: the base now moves, a little.
	net.Frozen = false
	stage.LearningRate = 1e-4
	if _, _, err := net.Train("fine-tuned", clothes, clothes, stage); err != nil {
		t.Fatal(err)
	}
	if diff, _, _ := net.MaxChange(snap); !(diff > 0 && diff < 0.05) {
		t.Errorf("fine-tuning moved the base by %g, want a small positive change", diff)
	}
	// The lesson-03 network the base was copied from is untouched.
	if clfAfter, _ := clf.Predict(clothes.X[:784], 1); clfAfter[0] != clfBefore[0] {
		t.Error("training the copy changed the lesson-03 network")
	}

	// Checkpoint round trip between notebook cells.
	dir := filepath.Join(t.TempDir(), CheckpointName)
	if err := net.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, found, err := LoadNet(backend, dir)
	if err != nil || !found {
		t.Fatalf("LoadNet: %v %v", found, err)
	}
	a1, _ := net.Accuracy(clothes)
	a2, _ := back.Accuracy(clothes)
	if a1 != a2 {
		t.Errorf("accuracy %v before saving, %v after loading", a1, a2)
	}
}

func TestNPZRoundTrip(t *testing.T) {
	store := model.NewStore()
	a, _ := store.CreateVariable("/base/conv1/conv/weights", tensors.FromFlatDataAndDimensions([]float32{1, -2, 3.5, 4, 5, 6}, 1, 2, 3))
	b, _ := store.CreateVariable("/base/conv1/conv/biases", tensors.FromFlatDataAndDimensions([]float32{0.25}, 1))
	path := filepath.Join(t.TempDir(), "w.npz")
	if err := SaveNPZ(path, []*model.Variable{a, b}); err != nil {
		t.Fatal(err)
	}
	fresh := model.NewStore()
	n, err := LoadNPZ(fresh, path, map[string]string{
		"/base/conv1/conv/weights": "/copy/weights", "/base/conv1/conv/biases": "/copy/biases"})
	if err != nil || n != 7 {
		t.Fatalf("loaded %d values, err %v", n, err)
	}
	got := tensors.MustCopyFlatData[float32](fresh.GetVariable("/copy/weights").MustValue())
	if got[2] != 3.5 || fresh.GetVariable("/copy/weights").Shape().Dimensions[2] != 3 {
		t.Errorf("weights came back as %v %s", got, fresh.GetVariable("/copy/weights").Shape())
	}
	if _, err := LoadNPZ(fresh, path, map[string]string{"block1_conv1/kernel:0": "/x"}); err == nil {
		t.Error("a missing array was not reported")
	}
}

func TestRememberRecall(t *testing.T) {
	t.Setenv("BAEUM_RESULTS", t.TempDir())
	cfg := Config{Examples: 100, BatchSize: 25} // 4 steps per epoch
	c := &Curve{Name: "scratch", Steps: []float64{0, 4, 8}, Accuracy: []float64{0.1, 0.5, 0.7}}
	if err := Remember(c); err != nil {
		t.Fatal(err)
	}
	back := cfg.Recall("scratch", 0, 2)
	for i := range c.Steps {
		if back.Steps[i] != c.Steps[i] || back.Accuracy[i] != c.Accuracy[i] {
			t.Fatalf("recalled %+v, want %+v", back, c)
		}
	}
	if back.AtEpoch(cfg, 1) != 0.5 || !math.IsNaN(back.AtEpoch(cfg, 5)) {
		t.Errorf("AtEpoch: %v %v", back.AtEpoch(cfg, 1), back.AtEpoch(cfg, 5))
	}
}
