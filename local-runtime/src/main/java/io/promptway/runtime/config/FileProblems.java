package io.promptway.runtime.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong with a file or folder the runtime or the command line was told to use, in words:
 * file-system exceptions carry only the path.
 */
public final class FileProblems {
  private FileProblems() {}

  public static String reason(IOException e) {
    return switch (e) {
      case AccessDeniedException x -> "permission denied";
      case FileAlreadyExistsException x -> "a file of that name is in the way";
      case NoSuchFileException x -> "a folder on the way does not exist";
      case NotDirectoryException x -> "a file stands where a folder should be";
      case CharacterCodingException x -> "it is not UTF-8 text";
      case FileSystemException f when f.getReason() != null -> f.getReason();
      default -> e.getClass().getSimpleName() + ": " + e.getMessage();
    };
  }
}
