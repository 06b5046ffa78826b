"""The questions officers ask.

``read_models`` answers lists and cross-school questions from the read model (schools causing
concern, upcoming deadlines, notices and directions by school); ``records`` answers for one
record from its streams in the log (a notice with its full timeline, a school's intervention), so
such an answer is never behind and carries the stream version as its ETag.
"""
