package dev.telltale.scan;

/** An extended attribute value that does not have the layout its name promises. */
final class AttributeDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  AttributeDecodeException(String message) {
    super(message);
  }
}
