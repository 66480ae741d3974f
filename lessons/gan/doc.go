// Package gan is lesson 09: the seed's generative adversarial network.
//
// The generator turns 100 random numbers into a 28x28 digit
// (Dense(128, relu) - Dense(784, tanh)); the discriminator, a small CNN
// (Conv2D(64, 5x5) - MaxPool - Conv2D(128, 5x5) - MaxPool - Dense(1)),
// tells real MNIST digits from the generator's. They train in turn with
// Adam(beta1 0.5) as in the seed, the generator at a higher learning rate
// (DefaultConfig says why):
//
//	g := gan.New(backend, 1)
//	hist, _ := g.Train(realDigits, gan.DefaultConfig(), judge) // judge: lesson 03's classifier
//	images, _ := g.Generate(gan.FixedNoise(256, gan.EvalSeed), 256)
//	verdict, _ := gan.Judge(judge, images, 256, 0.9)
//
// The seed's `discriminator.trainable = False` is done with two trainers
// over one store whose optimizers each see only their own network's scope
// (Scoped); FreezeCheck measures that a step of one never changes the
// other. Two layers are added to the seed's, with the reasons in model.go:
// LeakyReLU after the discriminator's convolutions and batch normalization
// after the generator's hidden layer (without it the generator collapses
// onto a single picture within a few hundred steps).
//
// The second half of the lesson is a conditional GAN (NewConditional,
// ConditionalConfig): both networks read the digit's label (a learned
// 16-number vector, GoMLX's Embedding), the generator is DCGAN-style
// (upsampling + 5×5 convolutions) and the discriminator uses strided
// convolutions. Asked for a digit, it draws it:
//
//	c := gan.NewConditional(backend, 1)
//	_, _ = c.Train(realDigits, gan.ConditionalConfig(), judge)
//	z, digits := gan.AskGrid(gan.EvalSeed) // row d asks for digit d
//	images, _ := c.Draw(z, digits)
//
// Measured on 2 cores (XLA CPU), both runs seeded and repeatable: the
// seed's pair, 1,400 rounds of 16: 40.2% of 256 digits confident, 7
// digits among them; the conditional GAN, 2,800 rounds of 32: 92.8% of
// 1,000 digits drawn as asked (confidence >= 0.9), worst digit 9 at 82%.
//
// Where a round's time goes (BenchmarkRound, XLA CPU, 2-core AMD EPYC):
// the seed's pair at batch 16: the discriminator's step 52.5 ms, the
// generator's 20.5 ms (13.6 rounds/s); the judge (256 digits drawn and
// classified every JudgeEvery rounds) 20 ms, under 1% of the rounds in
// between. The seed discriminator's second convolution (5×5, 64 -> 128
// channels on 14×14) is ~80 MFLOP per image; its step runs it forward and
// backward on 32 images, ~7.9 GFLOP, at ~150 GFLOP/s, close to what two
// AVX2 cores can do: the step is bound by that arithmetic, not by
// overheads, so a faster round needs a smaller discriminator, which is
// what the conditional GAN's strided one is (20.8 + 19.8 ms a round of 32,
// 24.4 rounds/s).
//
// Left out on purpose: Wasserstein losses and the other fixes for GAN
// instability; the lesson shows the instability and keeps the generator
// the judge liked best.
package gan
