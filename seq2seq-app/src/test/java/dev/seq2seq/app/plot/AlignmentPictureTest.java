package dev.seq2seq.app.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heat-map: a PNG big enough for its cells and labels, words labelled downwards. */
class AlignmentPictureTest {
    @TempDir
    Path folder;

    @Test
    void charactersSideBySideWordsDownwards() {
        assertFalse(AlignmentPicture.verticalLabels(List.of("W", "h", "o", " ", "?")));
        assertTrue(AlignmentPicture.verticalLabels(List.of("I", "think", "so", ".")));
    }

    @Test
    void aWordPictureMakesRoomForItsLabels() throws Exception {
        List<String> source = List.of("I", "think", "Tom", "is", "reading", ".");
        List<String> output = List.of("Je", "pense", "que", "Tom", "lit", ".");
        float[][] weights = new float[output.size()][source.size()];
        for (int j = 0; j < output.size(); j++) {
            weights[j][Math.min(j, source.size() - 1)] = 1f;
        }
        Path words = folder.resolve("words.png");
        AlignmentPicture.write(words, "words", source, output, weights);
        Path characters = folder.resolve("characters.png");
        AlignmentPicture.write(characters, "characters", List.of("a", "b", "c", "d", "e", "f"), output, weights);
        BufferedImage wordPicture = ImageIO.read(words.toFile());
        BufferedImage characterPicture = ImageIO.read(characters.toFile());
        assertEquals(characterPicture.getWidth(), wordPicture.getWidth(), "the same cells and side labels");
        assertTrue(wordPicture.getHeight() >= characterPicture.getHeight() + 5 * 9,
                "room above for 'reading' written downwards: " + wordPicture.getHeight() + " vs "
                        + characterPicture.getHeight());
    }
}
