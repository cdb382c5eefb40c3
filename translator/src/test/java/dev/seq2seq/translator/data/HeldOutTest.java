package dev.seq2seq.translator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldOutTest {
    /** 200 pairs over 80 sources, each source repeated 1 to 4 times in a row, as in the anki files. */
    private static List<SentencePair> pairs() {
        List<SentencePair> pairs = new ArrayList<>();
        for (int s = 0; s < 80; s++) {
            for (int k = 0; k <= s % 4 && pairs.size() < 200; k++) {
                pairs.add(new SentencePair("source " + s, "target " + s + "." + k, pairs.size() + 1));
            }
        }
        return pairs;
    }

    private static Set<String> sourcesWith(List<SentencePair> pairs, HeldOut.Role[] roles, HeldOut.Role role) {
        Set<String> sources = new HashSet<>();
        for (int i = 0; i < roles.length; i++) {
            if (roles[i] == role) {
                sources.add(pairs.get(i).source());
            }
        }
        return sources;
    }

    @Test
    void theSeedsSplitIsTheLastPairsAndNothingElse() {
        List<SentencePair> pairs = pairs();
        HeldOut.Role[] roles = HeldOut.atEnd(0.2).assign(pairs);
        int validation = (int) Math.round(pairs.size() * 0.2);
        for (int i = 0; i < roles.length; i++) {
            assertEquals(i >= pairs.size() - validation ? HeldOut.Role.VALIDATION : HeldOut.Role.TRAINING, roles[i]);
        }
    }

    @Test
    void testSourcesAreDrawnFromTheSeedAndShareNothingWithTheRest() {
        List<SentencePair> pairs = pairs();
        for (HeldOut.ValidationBy by : HeldOut.ValidationBy.values()) {
            HeldOut heldOut = new HeldOut(0.1, 0.2, by, 42);
            HeldOut.Role[] roles = heldOut.assign(pairs);
            assertArrayEquals(roles, heldOut.assign(pairs), "reproducible");
            Set<String> test = sourcesWith(pairs, roles, HeldOut.Role.TEST);
            Set<String> training = sourcesWith(pairs, roles, HeldOut.Role.TRAINING);
            Set<String> validation = sourcesWith(pairs, roles, HeldOut.Role.VALIDATION);
            assertEquals(8, test.size(), "10% of the 80 distinct sources");
            for (String source : test) {
                assertFalse(training.contains(source) || validation.contains(source), source);
            }
            if (by == HeldOut.ValidationBy.SOURCE) {
                assertEquals(14, validation.size(), "20% of the 72 other sources");
                for (String source : validation) {
                    assertFalse(training.contains(source), source + " is trained and validated on");
                }
            }
            HeldOut.Role[] other = new HeldOut(0.1, 0.2, by, 43).assign(pairs);
            assertNotEquals(sourcesWith(pairs, other, HeldOut.Role.TEST), test, "another seed, another draw");
        }
        long tests = Arrays.stream(new HeldOut(0.1, 0.2, HeldOut.ValidationBy.END, 42).assign(pairs))
                .filter(role -> role == HeldOut.Role.TEST).count();
        assertTrue(tests >= 8, "every pair of a test source is a test pair");
    }

    @Test
    void fractionsThatLeaveNothingToTrainOnAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HeldOut(0.5, 0.5, HeldOut.ValidationBy.END, 1));
        assertThrows(IllegalArgumentException.class, () -> new HeldOut(-0.1, 0.2, HeldOut.ValidationBy.END, 1));
    }
}
