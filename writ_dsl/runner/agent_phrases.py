"""The offline agent's phrase banks, slot by slot: each move is built from several slots, each slot
picked by its own hash, so that instances of one template read differently while saying the same thing.

Every wording may hold alternations, ``[a|b|c]`` (see :mod:`writ_dsl.variants`), expanded by the same
hash that picked it: a bank of ten wordings with three groups each says a move in hundreds of ways.

A slot never states a fact: figures, names and evidence come from the call data (see
:mod:`writ_dsl.runner.summaries`). Every confirmation question holds a confirmation cue and a question
mark, and every closing holds "anything else" (what the scripted user listens for); no other move holds
either (``tests/runner/test_wording_variety.py`` checks every expansion).
"""

from __future__ import annotations

SALUTATIONS = (
    "[Hello|Hi|Hi there|Hello there|Hey there|Good day|Welcome][!|.]",
    "[Hello|Hi], and [welcome|thanks for [reaching out|getting in touch|writing in|contacting us]].",
    "Thanks for [reaching out|getting in touch|contacting us|writing in|your message][!|.]",
    "[Good|Nice] to hear from you[!|.]", "Greetings!", "Welcome to [customer support|the help desk|support]!",
    "[Hi|Hello], you've reached [customer support|the help desk|support].",
    "Good {day_part}! [Thanks for [waiting|your patience].|]",  # the part of the day the prompt's clock shows
)
DAY_PARTS = ((5, "morning"), (12, "afternoon"), (18, "evening"), (23, ""))  # from the hour on, until the next


def salutations(hour: int | None) -> tuple[str, ...]:
    """The greetings for a clock at ``hour`` (0-23): "Good afternoon!" only when it is the afternoon; with no
    clock known, or at night, "Hello!" in its place."""
    part = next((name for start, name in reversed(DAY_PARTS) if hour is not None and hour >= start), "")
    return tuple(s.replace("Good {day_part}", f"Good {part}" if part else "Hello") for s in SALUTATIONS)


OFFERS = (
    "How [can|may] I [help|assist] you[ today|]?",
    "What can I [do|sort out|look into|take care of] for you[ today|]?",
    "What can I help you with[ today|]?", "What [brings you here|brings you to us|can I help with] today?",
    "What would you like to [get done|sort out|take care of][ today|]?",
    "I'm here to help[;|, so] what do you need?", "What do you need a hand with[ today|]?",
    "Tell me what you need, and I'll [take it from there|see what I can do|get started].",
    "What's on your mind[ today|]?", "How can I be of [help|service|assistance][ today|]?",
    "[Just tell me|Just let me know|Tell me|Let me know] what [you need|I can do for you|you'd like to change].",
    "What [seems to be|is] the [problem|issue|matter][ today|]?",
    "Let me know how I can help[ today|].",
)

DETAIL_ACKS = ("I'd be [glad|happy|pleased] to help.", "[Happy|Glad] to help.", "Of course.", "Sure[ thing|].",
               "Certainly.", "I can [help|lend a hand] with that.", "No problem[ at all|].",
               "[Glad|Happy] to look into it.", "I'll [gladly|happily] [help|take a look].",
               "[That's what I'm here for|Let's [sort it out|get it sorted]].")
DETAIL_ASKS = ("Could you tell me a [bit|little] more about what you need?",
               "What [exactly|specifically] do you need[ today| me to do]?",
               "Could you [describe|explain] what you'd like to [get done|change]?",
               "What do you need me to do[ for you|]?", "What [would you like|do you want] [done|changed|sorted out]?",
               "Can you walk me through what you have in mind?", "Where would you like to [start|begin]?",
               "Could you say a [little|bit] more about the request?",
               "What [change|outcome] are you hoping for?", "What's the [request|problem], [exactly|in a few words]?",
               "[Which|What] part of [it|your account] is the [problem|trouble]?")

ASK_ACKS = ("I'd be [happy|glad] to help[ with that|].", "Sure, I can help with that.", "Of course.",
            "Certainly, I can [take care of|handle|look into] that.", "[Glad|Happy] to help.", "No problem.",
            "I can look into that for you.", "[Happy|Glad] to sort that out[ for you|].", "Absolutely.",
            "Thanks for explaining[ that|].", "Understood.", "Got it.",
            "[Thanks|Thank you][ for the details|], I can [do that|help].", "That should be [easy|simple] enough.",
            "[Right|Okay], let's [get that sorted|take care of that|get started].")
ASK_FRAMES = ("To [get started|begin], could you [please |]give me {what}?",
              "First, could you [tell me|share|send me] {what}?", "Could you please [provide|share] {what}?",
              "To [find|locate|pull up] your account, I'll need {what}.",
              "Before I look anything up, could you [share|give me] {what}?", "May I have {what}[, please|]?",
              "Could you send me {what}?", "Let's [begin|start] with {what}: could you give me that?",
              "I'll just need {what} to get going.", "To pull up your details, could you [tell me|give me] {what}?",
              "What is {what}?", "[I'll need|I need] {what} first[, please|].",
              "[So that I can|To] [look into it|check your account], [please |]send me {what}.",
              "Could I [get|have] {what} first?")
ASK_MORE = ("Could you also give me {what}?", "I'll also need {what}. Could you provide that?",
            "One more thing: could you [tell me|share] {what}?", "Could you add {what} as well?",
            "I still need {what}[, please|].", "And could you [share|send] {what} too?",
            "[Next|Now], I'd need {what}.", "What is {what}, [please|by the way]?")
THANKS = ("Thank you.", "Thanks.", "Thanks for that.", "Got it, thanks.", "Perfect, thank you.", "Great, thanks.",
          "[Thanks|Thank you], that helps.", "Noted.", "[Great|Good], I have that.")

PROPOSAL_LEADS = ("Here is what I can do: I'll", "Here's my [proposal|suggestion]: I'll",
                  "So here is what I [suggest|propose]: I'll", "What I can do [now|next|from here] is",
                  "What I [propose|suggest] is to", "The next step would be to", "I'm ready to",
                  "Here's what I'll do:", "What I'd do is", "The way forward is to",
                  "[My suggestion|What I suggest] is to", "[If you agree|With your okay], I'll",
                  "I [could|can] [now|then|go on to]")
# leads that draw on what the same message has just shown (lookups, a choice, figures): only after such text
PROPOSAL_INFERENCES = ("Based on [that|this|what I found], I can", "With that, I can", "So I'd like to",
                       "This means I can", "[Given|Going by] [that|this|those details], I'd",
                       "[All|Everything] [checks out|looks in order], so I can")
NAME_ACKS = ("Thanks, {name}.", "Thank you, {name}.", "Alright, {name}.", "Okay, {name}.",
             "Thanks for [waiting|your patience|bearing with me], {name}.", "Here we go, {name}.",
             "Here's where we are, {name}.", "Right, {name}.", "[Okay|Alright], {name}, [here's what I found|here's the picture].",
             "Thanks for [the details|the information|that], {name}.", "[All right|Okay], {name}, [I've got it|that's everything I need].")

CONFIRM_CONDITIONS = ("", "", "{name},", "If that looks right, {name},", "{name}, if you're happy with that,",
                      "If that looks right to you,", "If you're [happy|fine|okay] with that,",
                      "If that matches what you [had in mind|asked for],", "If this is what you had in mind,",
                      "Provided that all sounds right,", "If everything above is [correct|right],",
                      "If that suits you,", "Assuming that's what you're after,", "[Before I do anything|Before I change anything],",
                      "[With|Given] all that,", "So,")
CONFIRM_QUESTIONS = ("shall I go ahead?", "would you like me to proceed?", "should I go ahead?",
                     "do you want me to proceed?", "shall I proceed?", "would you like me to go ahead?",
                     "can you confirm that I should go ahead?", "should I proceed with [it|that]?",
                     "do you want me to go ahead with [it|that|this]?", "would you like me to go ahead and do [it|that]?",
                     "shall I go ahead and [make the change|do that|take care of it]?",
                     "do I have your go-ahead to proceed?", "can you confirm, yes or no, that I should go ahead?",
                     "is it okay for me to proceed?", "may I go ahead[ with that|]?",
                     "[do you want|would you like] me to [go ahead|proceed] [now|with that]?",
                     "[shall|should] I [proceed|go ahead] [with this|now]?", "[could|can] you confirm[ that|] I should proceed?")
CONFIRM_TAILS = ("", "", "", "", "", "", "", "", "", "Please reply yes to confirm.", "A simple yes is enough.",
                 "Just reply yes or no.", "I'll wait for your yes.", "Nothing changes until you say yes.",
                 "Please answer yes or no.", "A yes from you is all I need.", "I won't change anything until you confirm.",
                 "Just confirm with a yes.", "Let me know either way.", "[A yes|Your yes] [is all it takes|will do].",
                 "[I'll|I will] [hold off|wait] until [I hear back|you say so].", "[Take your time|No rush].")

RECHECK_LEADS = ("I understand wanting to be sure, so I looked again.", "Good question; I looked it up again.",
                 "I checked once more to be certain.", "Fair enough. I went back to the data.",
                 "That's a fair thing to ask, so I ran the lookup again.", "No problem, I pulled it up a second time.",
                 "Sure, I went through it once more.", "Let me put your mind at rest: I checked it again.",
                 "[Of course|Sure]; I [ran|did] the lookup [again|a second time] to [make sure|be sure].",
                 "[Fair point|Good idea]. I've [double-checked|gone over] it [again|once more].")
RECHECK_SAME = ("It is still the option that matches your request.", "The result is the same as before.",
                "Nothing has changed since my first look.", "It still matches what you asked for.",
                "[The answer|My answer] [hasn't changed|is the same].", "[I get|I found] the same result[ as before|].")
REASSURE_LEADS = ("That's a fair question.", "I understand wanting to be sure.", "Good question.",
                  "[Of course|Sure], let me go over it.", "It's worth being sure, so here is what I would do.",
                  "No problem, let me put your mind at rest.")
REASSURE_SAME = ("It is exactly the change you asked for.", "It matches what you told me.",
                 "It is the change you described, nothing more.", "[It|This] follows what you asked for.")
RECHECK_ACTIONS = ("I can {action}.", "So I can still {action}.", "My suggestion stands: I'll {action}.",
                   "I'd still {action}.", "[The proposal|My proposal] [stays|is still] [the same|as it was]: I'll {action}.",
                   "[So|Then] I [would|can] still {action}.")

DONE_LEADS = ("", "", "Done.", "All set.", "That's taken care of.", "That worked.",
              "Finished.", "All sorted.", "[Good|Great] news: [it's|that's] taken care of.",
              "[That's|It's] [done|sorted|complete].", "[Success|Done]!", "[The change|That change] is [in|made].")
# Before the reasons a guarded write gives for the records it leaves out ("reservation X is in economy ...").
PASSED_OVER_LEADS = ("These stay as they are: {reasons}.", "I'll leave these as they are: {reasons}.",
                     "[Some|A few] [stay|will stay] as they are: {reasons}.", "As for the rest, {reasons}.",
                     "Not all of them [qualify|can be changed]: {reasons}.")
FOUND_LEADS = ("Here's what I found.", "I have the information you asked for.", "Here is the information you asked for.",
               "I've found what you were looking for.", "Here's the answer to your question.",
               "I've got the details you wanted.", "[As for|About] your question, here's [the answer|what I found].")
CLOSING_BRIDGES = ("", "", "Thanks for your patience.", "Thank you for bearing with me.", "I appreciate your patience.",
                   "Thanks for waiting.", "[Thanks|Thank you] for [your time|sorting this out with me].")
CLOSING_BRIDGES_NAMED = ("Thanks for your patience, {name}.", "Thank you, {name}.", "Thanks for bearing with me, {name}.",
                         "[It's been|It was] a pleasure, {name}.", "[Thanks|Thank you] for [your time|sorting this out with me], {name}.")
CLOSINGS = ("Is there anything else I can help you with[ today|]?", "Is there anything else you need[ today|]?",
            "Can I help you with anything else[ today|]?", "Is there anything else I can do for you[ today|]?",
            "Anything else I can help with[ today|]?", "Is there anything else on your list?",
            "Do you need anything else from me?", "Can I do anything else for you[ today|]?",
            "Anything else you'd like me to [look at|check|take care of]?",
            "Is there anything else you'd like to [sort out|look at|go over]?",
            "Is there anything else I can take care of[ for you|]?", "Anything else before you go?",
            "[Was there|Is there] anything else[ at all|]?", "[Anything|Is there anything] else [on your mind|I can look into]?")
GOODBYES = ("Thank you for contacting us.", "Thanks for reaching out.", "It was a pleasure to help.",
            "Glad I could help.", "Thanks for your time.", "[Take care|All the best].")
REFUSAL_OPENERS = ("I'm sorry, but", "I understand the request, but", "Unfortunately,", "I'm afraid",
                   "I hear you, but", "I wish I could, but", "[I see why you'd ask|I understand], but",
                   "[Sorry|Apologies], but")
REFUSAL_REASONS = (": our policy does not allow it.", "; our policy does not allow it.",
                   ": [that goes against|it is against] our policy.", ", as our policy [doesn't|does not] allow it.",
                   "; the policy [rules it out|doesn't permit it|is clear on that].")
REFUSAL_RESTS = ("I can certainly help with the rest of your request.", "I can still help with everything else.",
                 "The rest of your request I can handle.", "Everything else you asked for I can do.",
                 "[But|Still,] I can [take care of|help with] the rest.",
                 "[Let's|We can] [carry on|go on] with the rest of your request.")
