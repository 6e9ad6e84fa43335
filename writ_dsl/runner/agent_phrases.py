"""The offline agent's phrase banks, slot by slot: each move is built from several slots, each slot
picked by its own hash, so that instances of one template read differently while saying the same thing.

A slot never states a fact: figures, names and evidence come from the call data (see
:mod:`writ_dsl.runner.summaries`). Every confirmation question holds a confirmation cue and a question
mark, and every closing holds "anything else" (what the scripted user listens for).
"""

from __future__ import annotations

SALUTATIONS = ("Hello!", "Hi!", "Hi there!", "Good day!", "Welcome!", "Hello there.", "Hi, and welcome.",
               "Hello, and thanks for writing in.", "Hi, thanks for reaching out.", "Thanks for getting in touch.",
               "Hello, thanks for contacting us.", "Good to hear from you.", "Hey there, welcome.", "Greetings!")
OFFERS = ("How can I help you today?", "What can I do for you?", "What can I help you with?", "How may I help you?",
          "What brings you here today?", "What can I sort out for you today?", "How can I assist you?",
          "What would you like to get done today?", "I'm here to help; what do you need?",
          "What can I look into for you?", "Tell me what you need, and I'll take it from there.",
          "What's on your mind today?", "How can I be of help?", "What do you need a hand with?")

DETAIL_ACKS = ("I'd be glad to help.", "Happy to help.", "Of course.", "Sure.", "Certainly.", "I can help with that.",
               "No problem at all.", "Glad to look into it.")
DETAIL_ASKS = ("Could you tell me a bit more about what you need?", "What exactly do you need today?",
               "Could you describe what you'd like to get done?", "What do you need me to do?",
               "Can you walk me through what you have in mind?", "Where would you like to start?",
               "Could you say a little more about the request?", "What change are you hoping for?")

ASK_ACKS = ("I'd be happy to help.", "Sure, I can help with that.", "Of course.", "Certainly, I can take care of that.",
            "Glad to help.", "No problem.", "I can look into that for you.", "Happy to sort that out.",
            "Absolutely.", "Thanks for explaining.")
ASK_FRAMES = ("To get started, could you please give me {what}?", "First, could you tell me {what}?",
              "Could you please provide {what}?", "To find your account, I'll need {what}.",
              "Before I look anything up, could you share {what}?", "May I have {what}, please?",
              "Could you send me {what}?", "Let's begin with {what}: could you give me that?",
              "I'll just need {what} to get going.", "To pull up your details, could you tell me {what}?")
ASK_MORE = ("Could you also give me {what}?", "I'll also need {what}. Could you provide that?",
            "One more thing: could you tell me {what}?", "Could you add {what} as well?",
            "I still need {what}, please.", "And could you share {what} too?")
THANKS = ("Thank you.", "Thanks.", "Thanks for that.", "Got it, thanks.", "Perfect, thank you.", "Great, thanks.")

PROPOSAL_LEADS = ("Based on that, I can", "Here is what I can do: I'll", "Here's my proposal: I'll",
                  "So here is what I suggest: I'll", "What I can do now is",
                  "What I propose is to", "The next step would be to", "I'm ready to", "Here's what I'll do:",
                  "What I'd do is", "With that, I can", "So I'd like to", "This means I can",
                  "The change I'd make is to")
NAME_ACKS = ("Thanks, {name}.", "Thank you, {name}.", "Alright, {name}.", "Okay, {name}.", "Thanks for waiting, {name}.",
             "Here we go, {name}.", "Here's where we are, {name}.", "Right, {name}.")

CONFIRM_CONDITIONS = ("", "", "{name},", "If that looks right, {name},", "{name}, if you're happy with that,", "If that looks right to you,", "If you're happy with that,",
                      "If that matches what you want,", "If this is what you had in mind,",
                      "Provided that all sounds right,", "If everything above is correct,",
                      "If that suits you,", "Assuming that's what you want,")
CONFIRM_QUESTIONS = ("shall I go ahead?", "would you like me to proceed?", "should I go ahead?",
                     "do you want me to proceed?", "shall I proceed?", "would you like me to go ahead?",
                     "can you confirm that I should go ahead?", "should I proceed with it?",
                     "do you want me to go ahead with it?", "would you like me to go ahead and do it?",
                     "shall I go ahead and make the change?", "do I have your go-ahead to proceed?",
                     "can you confirm (yes/no) that I should go ahead?", "is it okay for me to proceed?")
CONFIRM_TAILS = ("", "", "", "", "", "", "", "", "", "Please reply yes to confirm.", "A simple yes is enough.", "Just reply yes or no.",
                 "I'll wait for your yes.", "Nothing changes until you say yes.", "Please answer yes or no.",
                 "A yes from you is all I need.", "I won't change anything until you confirm.",
                 "Just confirm with a yes.", "Let me know either way.")

RECHECK_LEADS = ("I understand wanting to be sure, so I looked again.", "Good question; I looked it up again.",
                 "I checked once more to be certain.", "Fair enough. I went back to the data.",
                 "That's a fair thing to ask, so I ran the lookup again.", "No problem, I pulled it up a second time.",
                 "Sure, I went through it once more.", "Let me put your mind at rest: I checked it again.")
RECHECK_SAME = ("It is still the option that matches your request.", "The result is the same as before.",
                "Nothing has changed since my first look.", "It still matches what you asked for.")
RECHECK_ACTIONS = ("I can {action}.", "So I can still {action}.", "My suggestion stands: I'll {action}.",
                   "I'd still {action}.")

DONE_LEADS = ("", "", "Done.", "All set.", "That's taken care of.", "It went through.", "That worked.",
              "Finished.", "Everything went through.")
FOUND_LEADS = ("Here's what I found.", "I have the information you asked for.", "Here is the information you asked for.",
               "I've found what you were looking for.", "Here's the answer to your question.",
               "I've got the details you wanted.")
CLOSING_BRIDGES = ("", "", "Thanks for your patience.", "Thank you for bearing with me.", "I appreciate your patience.",
                   "Thanks for waiting while I checked.")
CLOSING_BRIDGES_NAMED = ("Thanks for your patience, {name}.", "Thank you, {name}.", "Thanks for bearing with me, {name}.")
CLOSINGS = ("Is there anything else I can help you with?", "Is there anything else you need today?",
            "Can I help you with anything else?", "Is there anything else I can do for you?",
            "Anything else I can help with today?", "Is there anything else on your list?",
            "Do you need anything else from me?", "Can I do anything else for you today?",
            "Anything else you'd like me to look at?", "Is there anything else you'd like to sort out?",
            "Is there anything else I can take care of?", "Anything else before you go?")
GOODBYES = ("Thank you for contacting us.", "Thanks for reaching out.", "It was a pleasure to help.",
            "Glad I could help.", "Thanks for your time.")
REFUSAL_OPENERS = ("I'm sorry, but", "I understand the request, but", "Unfortunately,", "I'm afraid",
                   "I hear you, but", "I wish I could, but")
REFUSAL_RESTS = ("I can certainly help with the rest of your request.", "I can still help with everything else.",
                 "The rest of your request I can handle.", "Everything else you asked for I can do.")
