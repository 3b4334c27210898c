package io.piholecheckpoint.teleporter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The digests of one list of a {@link ListIndex} as its rows go by in key order: of blocks of about
 * {@value #BLOCK} rows that end at keys chosen by their own hash, so two archives cut their lists at
 * the same keys and a change touches only its own block, and of the whole list over its blocks'
 * digests in order, so each row is digested once (equal list digests: equal blocks, so equal rows).
 */
final class ListDigests {
  /** A block ends at a key whose text hash is 0 modulo this. */
  static final int BLOCK = 64;

  private final PreparedStatement insertBlock;
  private final int cat;
  private final MessageDigest list = ListIndex.sha256();
  private final MessageDigest block = ListIndex.sha256();
  private final StringBuilder row = new StringBuilder();
  private Object firstK1;
  private Object firstK2;
  private Object lastK1;
  private Object lastK2;
  private long total;

  ListDigests(Connection index, int cat) throws SQLException {
    this.insertBlock = index.prepareStatement("INSERT INTO blocks VALUES (?, ?, ?, ?, ?, ?)");
    this.cat = cat;
  }

  /** True for a key equal to the one before: Pi-hole's UNIQUE constraints rule it out, the first (lowest id) is kept. */
  boolean repeats(Object k1, Object k2) {
    return total > 0 && k1.equals(lastK1) && k2.equals(lastK2);
  }

  long add(Object k1, Object k2, long h) throws SQLException {
    row.setLength(0);
    row.append(k1).append('\u001f').append(k2);
    boolean ends = Math.floorMod(hashCode(row), BLOCK) == 0;
    row.append('\u001f').append(h).append('\n');
    block.update(row.toString().getBytes(StandardCharsets.UTF_8));
    if (firstK1 == null) {
      firstK1 = k1;
      firstK2 = k2;
    }
    lastK1 = k1;
    lastK2 = k2;
    if (ends) {
      endBlock();
    }
    return ++total;
  }

  /** {@link String#hashCode} of the key's text without making a String of it: blocks end where they always did. */
  private static int hashCode(CharSequence key) {
    int hash = 0;
    for (int i = 0; i < key.length(); i++) {
      hash = 31 * hash + key.charAt(i);
    }
    return hash;
  }

  private void endBlock() throws SQLException {
    insertBlock.setInt(1, cat);
    insertBlock.setObject(2, lastK1);
    insertBlock.setObject(3, lastK2);
    insertBlock.setObject(4, firstK1);
    insertBlock.setObject(5, firstK2);
    byte[] digest = block.digest(); // and resets it for the next block
    list.update(digest);
    insertBlock.setString(6, HexFormat.of().formatHex(digest));
    insertBlock.executeUpdate();
    firstK1 = null;
  }

  void finish() throws SQLException {
    if (firstK1 != null) {
      endBlock();
    }
    insertBlock.close();
    try (PreparedStatement lists = insertBlock.getConnection().prepareStatement("INSERT INTO lists VALUES (?, ?, ?)")) {
      lists.setInt(1, cat);
      lists.setLong(2, total);
      lists.setString(3, HexFormat.of().formatHex(list.digest()));
      lists.executeUpdate();
    }
  }
}
