// Package transfer is lesson 10: transfer learning with a base the course
// pretrained itself.
//
// The seed loads VGG16 trained on ImageNet, freezes it, and adds
// Flatten - Dense(256, relu) - Dense(10). No ImageNet weights can be
// downloaded here, so the lesson does the same thing at small scale: the
// convolutional base of lesson 03's network, trained on one data set and
// loaded from its checkpoint, is frozen, and a new head of the seed's shape
// is trained on only 1,000 labelled images of another data set. The same
// network trained from scratch on the same 1,000 images is the baseline;
// fine-tuning the whole network with a small learning rate is the last step.
//
//	cfg := transfer.DefaultConfig() // MNIST base, 1,000 Fashion-MNIST images
//	examples, test, _ := cfg.TargetData()
//	base, _ := cnn.LoadOrTrain(backend, cfg.Base) // lesson 03's checkpoint
//	net, _ := transfer.FromPretrained(backend, base, cfg.Seed)
//	net.Frozen = true
//	curve, _, _ := net.Train("frozen", examples, test, cfg.Stage(cfg.Epochs, cfg.LearningRate))
//
// Freezing is GoMLX's Variable.SetTrainable(false): the optimizer only
// builds gradients for trainable variables, so the base's weights are not
// even differentiated, let alone changed. The tests check that they stay
// bit-for-bit the same.
//
// With these two small data sets the frozen base's lead is large after one
// epoch (about 17 points) and shrinks to about 1 point after ten: features
// learned on digits fit clothes only in part. The notebook shows both and
// checks the SYLLABUS gap at the one-epoch budget. SizeCurve then trains
// the three methods for 2 epochs on stratified samples (Stratified) of
// 100 to 10,000 images: measured on 2 cores, the frozen base leads by 26
// points at 100 images, 17 at 300, 4 at 1,000 and 4 at 3,000, and trails by
// 1 at 10,000, where the network from scratch has caught up.
//
// Left out on purpose: data augmentation and the real VGG16 (npz.go says
// how a file of real pretrained weights would be read).
package transfer
