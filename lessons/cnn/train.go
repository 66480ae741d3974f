package cnn

import (
	"fmt"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ml/train/optimizer/cosineschedule"
)

// Config is the training budget of one run.
type Config struct {
	Steps        int     // optimizer steps (one batch each)
	BatchSize    int     // images per step
	LearningRate float64 // Adam's step size (Keras' default is 0.001)
	Seed         int64   // initial weights and batch order
	Points       int     // points on the recorded training curve
}

// DefaultConfig is the notebook's full run for "mnist" or "fashion-mnist",
// sized to the SYLLABUS budget (both runs and the evaluation within about 3
// minutes on a 2-core CPU with XLA: about 2 epochs of MNIST, 3 of
// Fashion-MNIST, at 40-80 steps/s); under mlx.Quick() it is a smoke run of
// 150 steps.
func DefaultConfig(dataset string) Config {
	c := Config{Steps: 1800, BatchSize: 64, LearningRate: 2e-3, Seed: 3, Points: 90}
	if dataset == "fashion-mnist" {
		c.Steps = 3000 // clothes are harder than digits: about 3 epochs instead of 2
	}
	if mlx.Quick() {
		c.Steps, c.Points = 150, 30
	}
	return c
}

// TinyConfig is what the tests train: seconds, not minutes.
func TinyConfig() Config {
	return Config{Steps: 30, BatchSize: 16, LearningRate: 3e-3, Seed: 1, Points: 10}
}

// Classifier is a trained (or loaded) network: its variables, and the
// backend that runs it.
type Classifier struct {
	Store   *model.Store
	backend compute.Backend
	predict *model.Exec // softmax(Model(x)), built on first use
}

// NewClassifier returns a network with fresh random weights (created on
// first use, from seed).
func NewClassifier(backend compute.Backend, seed int64) *Classifier {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, seed)
	return &Classifier{Store: store, backend: backend}
}

// Train trains a new network on data with GoMLX's trainer and training loop
// (Adam, cross-entropy on the logits), showing live progress in a notebook.
// The history has the loss and, under Extra["~acc"], the moving-average
// training accuracy.
func Train(backend compute.Backend, data *Data, cfg Config) (*Classifier, *mlx.History, error) {
	c := NewClassifier(backend, cfg.Seed)
	hist, err := c.Fit(data, cfg)
	return c, hist, err
}

// Fit trains the classifier's current weights further on data.
func (c *Classifier) Fit(data *Data, cfg Config) (*mlx.History, error) {
	ds, err := data.Dataset(c.backend, cfg.BatchSize, cfg.Seed)
	if err != nil {
		return nil, err
	}
	// The one addition to the seed: the learning rate falls along a cosine
	// from cfg.LearningRate to 0 over the run, which reaches the seed's
	// accuracy in fewer epochs than a constant rate.
	schedule := func(scope *model.Scope, images *Node) *Node {
		cosineschedule.New(scope, images.Graph(), dtypes.Float32).
			LearningRate(cfg.LearningRate).PeriodSteps(cfg.Steps).Done()
		return Model(scope, images)
	}
	trainer := train.NewTrainer(c.backend, c.Store, schedule, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(),
		[]metric.Interface{metric.NewMovingAverageSparseCategoricalAccuracy("Moving Average Accuracy", "~acc", 0.02)}, nil)
	return mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, cfg.Points)
}

// EvalBatch is how many images one prediction call takes: large batches are
// much faster than small ones, and a fixed size compiles the graph once.
const EvalBatch = 1000

// Predict returns the class probabilities (softmax of the logits) of n
// images given as n*28*28 pixels in [0, 1]: n*10 values, row by row.
func (c *Classifier) Predict(pixels []float32, n int) ([]float32, error) {
	if len(pixels) != n*Size*Size {
		return nil, fmt.Errorf("cnn.Predict: %d pixels for %d images, want %d", len(pixels), n, n*Size*Size)
	}
	if c.predict == nil {
		e, err := model.NewExec(c.backend, c.Store, func(scope *model.Scope, x *Node) *Node {
			return Softmax(Model(scope, x))
		})
		if err != nil {
			return nil, err
		}
		c.predict = e
	}
	return InBatches(c.predict, pixels, n, NumClasses)
}

// InBatches runs exec, a graph of one batch of images [batch, 28, 28, 1],
// over n images in batches of EvalBatch (the last one padded with blank
// images) and concatenates the first `width` values per image of its first
// output. Lessons 09 and 10 run their own networks with it.
func InBatches(exec *model.Exec, pixels []float32, n, width int) (out []float32, err error) {
	const px = Size * Size
	batch := min(EvalBatch, n)
	out = make([]float32, 0, n*width)
	buf := make([]float32, batch*px)
	for start := 0; start < n; start += batch {
		k := min(batch, n-start)
		clear(buf)
		copy(buf, pixels[start*px:(start+k)*px])
		res, err := exec.Exec(tensorOf(buf, batch))
		if err != nil {
			return nil, fmt.Errorf("cnn: running the network: %w", err)
		}
		out = append(out, flat(res[0])[:k*width]...)
	}
	return out, nil
}

// Evaluation is how a classifier did on a labelled set.
type Evaluation struct {
	Accuracy   float64
	Pred       []int     // predicted class of each image
	Confidence []float32 // probability of the predicted class
	Confusion  [][]int   // Confusion[true][predicted]
	Wrong      []int     // indices of the misclassified images
}

// Evaluate predicts every image of d (in batches of EvalBatch) and compares
// with the labels.
func (c *Classifier) Evaluate(d *Data) (*Evaluation, error) {
	probs, err := c.Predict(d.X, d.N)
	if err != nil {
		return nil, err
	}
	return Score(probs, d), nil
}

// Score compares class scores (probabilities or logits, 10 per image, for
// the d.N images of d) with d's labels.
func Score(scores []float32, d *Data) *Evaluation {
	ev := &Evaluation{Pred: make([]int, d.N), Confidence: make([]float32, d.N)}
	truth := make([]int, d.N)
	for i := range d.N {
		ev.Pred[i], ev.Confidence[i] = argmax(scores[i*NumClasses : (i+1)*NumClasses])
		truth[i] = int(d.Y[i])
		if ev.Pred[i] != truth[i] {
			ev.Wrong = append(ev.Wrong, i)
		}
	}
	ev.Confusion = Confusion(truth, ev.Pred, NumClasses)
	ev.Accuracy = float64(d.N-len(ev.Wrong)) / float64(d.N)
	return ev
}

// Confusion counts, for every true class t and predicted class p, how many
// images of class t were predicted as p: the confusion matrix
// m[truth][predicted]. Its diagonal holds the correct answers.
//
//	Confusion([]int{0, 0, 1, 2}, []int{0, 1, 1, 1}, 3) = [[1 1 0] [0 1 0] [0 1 0]]
func Confusion(truth, pred []int, classes int) [][]int {
	m := make([][]int, classes)
	for t := range m {
		m[t] = make([]int, classes)
	}
	for i := range truth {
		m[truth[i]][pred[i]]++
	}
	return m
}

func argmax(p []float32) (int, float32) {
	best := 0
	for j := range p {
		if p[j] > p[best] {
			best = j
		}
	}
	return best, p[best]
}
