package io.piholecheckpoint.persistence;

/** The home folder an SFTP server gave a user, by {@code user@host:port}. */
record SftpHomeRow(String server, String home) {
}
