package dev.seq2seq.translator.model;

import dev.seq2seq.engine.Tensor;
import dev.seq2seq.nn.rnn.RecurrentState;
import java.util.ArrayList;
import java.util.List;

/** The states of stacked recurrent layers, bottom first; the top layer's h is the stack's output. */
record StackedState(List<RecurrentState> layers) implements RecurrentState {

    StackedState {
        layers = List.copyOf(layers);
    }

    @Override
    public Tensor h() {
        return layers.get(layers.size() - 1).h();
    }

    @Override
    public Tensor[] tensors() {
        List<Tensor> all = new ArrayList<>();
        for (RecurrentState layer : layers) {
            all.addAll(List.of(layer.tensors()));
        }
        return all.toArray(Tensor[]::new);
    }

    @Override
    public StackedState selectRows(int[] rows) {
        List<RecurrentState> selected = new ArrayList<>(layers.size());
        for (RecurrentState layer : layers) {
            selected.add(layer.selectRows(rows));
        }
        return new StackedState(selected);
    }
}
