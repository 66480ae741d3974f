// Package cnn is lesson 03: the seed's Keras convolutional network, in Go.
//
// The learner builds the classic MNIST network
//
//	Conv2D(32, 3x3, relu) - MaxPool(2) - Conv2D(64, 3x3, relu) - MaxPool(2) -
//	Conv2D(64, 3x3, relu) - Flatten - Dense(64, relu) - Dense(10, softmax)
//
// with GoMLX's own layers (layers.Convolution, graph.MaxPool, layers.Dense),
// trains it with Adam and cross-entropy through GoMLX's training loop, and
// looks inside: the filters and feature maps of one digit, the confusion
// matrix, the test images it gets wrong. The same network is trained on
// Fashion-MNIST, and the trained MNIST model is saved as a checkpoint that
// lessons 09 (GAN) and 10 (transfer learning) load again.
//
//	train, _ := cnn.LoadData("mnist", "train", 0)
//	test, _ := cnn.LoadData("mnist", "test", 0)
//	clf, hist, _ := cnn.Train(backend, train, cnn.DefaultConfig("mnist"))
//	ev, _ := clf.Evaluate(test)
//	fmt.Printf("test accuracy %.2f%%\n", 100*ev.Accuracy)
//
// The model returns logits; the softmax of the seed's last layer lives in the
// loss (loss.SparseCategoricalCrossEntropyLogits, numerically safer) and in
// Classifier.Predict. Left out on purpose: dropout, batch normalisation, data
// augmentation; the seed's network reaches 99% without them.
package cnn
