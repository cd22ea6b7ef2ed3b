# The public API of lstm_examples: the one list of exports. __init__.py loads each name
# from its submodule on first use (lazy_loader reads this file), and type checkers read
# it as the package's types.
from .catalogue import CheatSheet as CheatSheet
from .catalogue import cheat_sheet as cheat_sheet
from .catalogue import flag_combinations as flag_combinations
from .cudnn import Case as Case
from .cudnn import CaseDecision as CaseDecision
from .cudnn import Decision as Decision
from .cudnn import cudnn_decision as cudnn_decision
from .cudnn import decision_table as decision_table
from .cudnn import decisions_as_table as decisions_as_table
from .device import gpu_names as gpu_names
from .explanation import Explanation as Explanation
from .explanation import explain as explain
from .explorer import Explorer as Explorer
from .explorer import explorer_table as explorer_table
from .explorer import render_explorer as render_explorer
from .masking import build_masked as build_masked
from .models import EXAMPLES as EXAMPLES
from .models import SEED_SEQUENCE as SEED_SEQUENCE
from .models import Example as Example
from .models import assert_same_model as assert_same_model
from .models import build_lstm as build_lstm
from .models import build_rnn as build_rnn
from .models import get_example as get_example
from .models import seed_input as seed_input
from .models import set_seed as set_seed
from .outputs import output_names as output_names
from .outputs import output_roles as output_roles
from .parameters import conv_lstm_parameter_count as conv_lstm_parameter_count
from .parameters import conv_lstm_weight_shapes as conv_lstm_weight_shapes
from .parameters import parameter_count as parameter_count
from .parameters import weight_shapes as weight_shapes
from .render import Table as Table
from .stateful import build_explicit_state as build_explicit_state
from .stateful import build_stateful as build_stateful
from .torch_convert import gru_keras_to_torch as gru_keras_to_torch
from .torch_convert import gru_torch_to_keras as gru_torch_to_keras
from .torch_convert import keras_layers_to_torch as keras_layers_to_torch
from .torch_convert import keras_to_torch as keras_to_torch
from .torch_convert import torch_to_keras as torch_to_keras

__version__: str
