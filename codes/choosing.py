"""The /choose/ decision tree and /compare/ pages: loading, checking, comparing.

The tree lives in the database (DecisionQuestion, DecisionAnswer) so editors can
change it in the admin; ``check_tree`` is what keeps it sound: a start, no dead
ends, no loops, every question reachable, every result a published code.
"""

from dataclasses import dataclass

from codes.models import Comparison, DecisionAnswer, DecisionQuestion, StatusCode

MAX_COMPARED = 3


def check_tree() -> list[str]:
    """Problems with the decision tree, in words; an empty list means it is sound."""
    problems = []
    questions = {q.pk: q for q in DecisionQuestion.objects.all()}
    start = next((q for q in questions.values() if q.slug == DecisionQuestion.START), None)
    if start is None:
        return ["There is no question with the slug 'start'."]
    answers_of: dict[int, list[DecisionAnswer]] = {pk: [] for pk in questions}
    published = set(StatusCode.objects.published().values_list("pk", flat=True))
    for answer in DecisionAnswer.objects.select_related("result"):
        answers_of[answer.question_id].append(answer)
    for pk, answers in answers_of.items():
        if not answers:
            problems.append(f"Question {questions[pk].slug!r} has no answers: a dead end.")
        for answer in answers:
            if (answer.next_question_id is None) == (answer.result_id is None):
                problems.append(f"Answer {answer} must lead to a question or a code.")
            elif answer.result_id and answer.result_id not in published:
                problems.append(f"Answer {answer} ends at an unpublished code {answer.result}.")
    # Depth-first walk from the start: finds loops and what is reachable.
    reached, on_path = set(), set()

    def walk(pk, trail):
        if pk in on_path:
            loop = " -> ".join([*trail, questions[pk].slug])
            problems.append(f"Loop: {loop}.")
            return
        if pk in reached:
            return
        reached.add(pk)
        on_path.add(pk)
        for answer in answers_of[pk]:
            if answer.next_question_id:
                walk(answer.next_question_id, [*trail, questions[pk].slug])
        on_path.discard(pk)

    walk(start.pk, [])
    for pk in set(questions) - reached:
        problems.append(f"Question {questions[pk].slug!r} cannot be reached from the start.")
    return problems


def reachable_codes() -> set[int]:
    return set(DecisionAnswer.objects.leaves().values_list("result__code", flat=True))


@dataclass
class ComparedCode:
    row: StatusCode
    retry: str


def retry_advice(row: StatusCode) -> str:
    """Whether a client should send the same request again, by code."""
    if row.code in (408, 429, 503):
        return "Yes, after a pause; honour Retry-After when it is sent."
    if row.code in (502, 504):
        return "Yes, after a pause, if the request is idempotent."
    if row.code == 425:
        return "Yes, once the TLS handshake has finished."
    if row.class_digit == 5:
        return "Maybe, for idempotent requests, with backoff."
    if row.class_digit == 4:
        return "Not without changing the request or the credentials."
    if row.class_digit == 3:
        return "Follow the redirect instead."
    return "No need: the request worked."


def parse_codes(text: str) -> list[int] | None:
    """``401-vs-403`` or ``301-vs-302-vs-308`` to numbers; None if it is not that shape."""
    parts = text.split("-vs-")
    if not 2 <= len(parts) <= MAX_COMPARED or not all(p.isdigit() and len(p) == 3 for p in parts):
        return None
    return [int(p) for p in parts]


def canonical_slug(numbers: list[int]) -> str:
    return "-vs-".join(str(n) for n in sorted(numbers))


def comparison_for(numbers: list[int]):
    """The key-difference text for a pair, if editors wrote one."""
    if len(numbers) != 2:
        return None
    first, second = sorted(numbers)
    return (
        Comparison.objects.filter(first__code=first, second__code=second)
        .select_related("first", "second")
        .first()
    )
